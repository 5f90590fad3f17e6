using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Credentials;
using Registry.Api.Issuers;
using Registry.Api.Outcomes;
using Registry.Api.Problems;
using Registry.Api.Reference;
using Registry.Api.Security;
using Registry.Api.Storage;

namespace Registry.Api.Qualifications;

public static class QualificationEndpoints
{
    public static IEndpointRouteBuilder MapQualifications(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/qualifications").WithTags("Qualifications").WithGuidId();

        group.MapPost("/", async Task<Results<Created<QualificationView>, Problem<IssuerRemoved>, Problem<Invalid>>> (HttpRequest request, ClaimsPrincipal user,
                QualificationService qualifications, RegistryDatabase database, CancellationToken ct) =>
            {
                var body = await JsonBody.ReadAsync(request, ct);
                return qualifications.Define(CredentialEndpoints.CurrentIssuer(user, database), body)
                    .Answer(created => TypedResults.Created($"/qualifications/{created.Id}", created));
            })
            .RequireAuthorization(Policies.Issuer)
            .Accepts<JsonObject>("application/json")
            .WithSummary("Define a qualification that stacks credentials: the achievements it requires (each from any issuer, or from the issuer named by its DID) " +
                "and how many of them a learner must hold (minimum; all when left out). Only the issuer that defines it awards it.")
            .WithRequestExample(QualificationExamples.Definition())
            .WithBodyLimit(BodyLimits.Small)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/", Ok<IReadOnlyList<QualificationView>> (QualificationService qualifications) => TypedResults.Ok(qualifications.List()))
            .WithSummary("Every qualification, oldest first: what each requires and who offers it.");

        group.MapGet("/{id}", Results<Ok<QualificationView>, Problem<Unknown>> (string id, QualificationService qualifications) =>
                qualifications.Find(id).Answer(TypedResults.Ok))
            .WithSummary("One qualification: what it requires and who offers it. Its achievement is the id its awarded credentials name.");

        return routes;
    }
}
