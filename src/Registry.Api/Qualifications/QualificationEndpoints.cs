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
                QualificationService qualifications, IIssuerStore issuers, CancellationToken ct) =>
            {
                var body = await JsonBody.ReadAsync(request, ct);
                return qualifications.Define(CredentialEndpoints.CurrentIssuer(user, issuers), body)
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

        group.MapPost("/{id}/awards", async Task<Results<Accepted<AcceptedCredential>, Problem<Unknown>, Problem<IssuerRemoved>, Problem<NotPermitted>, Problem<Invalid>>> (
                string id, HttpRequest request, ClaimsPrincipal user, AwardService awards, IIssuerStore issuers, CancellationToken ct) =>
            {
                var body = await JsonBody.ReadAsync(request, ct);
                return (await awards.AwardAsync(id, CredentialEndpoints.CurrentIssuer(user, issuers), body, ct))
                    .Answer(awarded => TypedResults.Accepted($"/credentials/{awarded.Id}", awarded));
            })
            .RequireAuthorization(Policies.Issuer)
            .Accepts<JsonObject>("application/json")
            .WithSummary("Award a qualification to a learner from their component credentials (portable credentials): each is verified in full, must be the subject's " +
                "and meet a requirement; a 400 names each component that cannot count and why. The qualification is then issued as a credential whose evidence " +
                "references every component, and follows the usual routes (batches, proofs, revocation). Only the issuer that defined the qualification awards it.")
            .WithRequestExample(QualificationExamples.Award())
            .WithBodyLimit(BodyLimits.Verify)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return routes;
    }

    /// <summary>The auditor's view of stacks: what a credential rests on, and what rests on it.</summary>
    public static IEndpointRouteBuilder MapStackAudit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/audit/credentials").WithTags("Audit").RequireAuthorization(Policies.Auditor).WithGuidId()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/{id}", Results<Ok<CredentialStack>, Problem<Unknown>> (string id, StackAudit stacks) => stacks.Of(id).Answer(TypedResults.Ok))
            .WithSummary("A credential of this registry in its stacks: the components it rests on, when it awards a qualification, and the qualifications that rest on it (its dependants).");

        group.MapGet("/{id}/dependants", Results<Ok<List<Dependant>>, Problem<Unknown>> (string id, StackAudit stacks) =>
                stacks.DependantsOf(id).Answer(TypedResults.Ok))
            .WithSummary("The qualifications awarded on the strength of this credential: whom revoking it affects.");

        return routes;
    }
}
