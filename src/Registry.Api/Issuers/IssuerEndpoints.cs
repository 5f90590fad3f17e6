using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Registry.Api.Outcomes;
using Registry.Api.Problems;
using Registry.Api.Reference;
using Registry.Api.Security;
using Registry.Api.Storage;

namespace Registry.Api.Issuers;

public static class IssuerEndpoints
{
    public static IEndpointRouteBuilder MapIssuers(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/issuers").WithTags("Issuers").WithGuidId();

        group.MapPost("/", async Task<Results<Created<CreatedIssuer>, Problem<Invalid>, Problem<StateConflict>>> (CreateIssuerRequest request,
                IssuerService issuers, CancellationToken ct) =>
                (await issuers.CreateAsync(request, ct)).Answer(created => TypedResults.Created($"/issuers/{created.Id}", created)))
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Create an issuer: a new Ethereum account, admitted on chain, with an API key shown once. "
                + "A name an issuer already has is a 409 unless allowDuplicateName is true; url must be http(s).")
            .WithRequestExample(new CreateIssuerRequest("Open University of Testing", "DE", "https://example.edu", "A public university teaching engineering online."))
            .WithBodyLimit(BodyLimits.Small)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/{id}/remove", async Task<Results<Ok<IssuerRemoval>, Problem<Unknown>, Problem<StateConflict>, Problem<Invalid>>> (string id,
                [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RemoveIssuerRequest? request, IssuerService issuers, CancellationToken ct) =>
                (await issuers.RemoveAsync(id, request?.CompromisedSince, ct)).Answer(TypedResults.Ok))
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Remove an issuer on chain; it can no longer issue, anchor or revoke. Credentials it anchored before stay valid, " +
                "unless compromisedSince (a past moment) is given: anchors from then on are void, and the answer lists them.")
            .WithRequestExample(new RemoveIssuerRequest(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)))
            .WithBodyLimit(BodyLimits.Small)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/", Ok<IReadOnlyList<IssuerProfile>> (IssuerService issuers) => TypedResults.Ok(issuers.List()))
            .WithSummary("Public profiles of all issuers.");

        group.MapGet("/{id}", async Task<Results<Ok<IssuerProfile>, Problem<Unknown>>> (string id, ClaimsPrincipal user, IIssuerStore store,
                IssuerService issuers) =>
                store.Find(id) is not { } issuer
                    ? Problem.Of(new Unknown($"Issuer {id}"))
                    : TypedResults.Ok(user.IsInRole(Roles.Admin) ? await issuers.WithBalanceAsync(issuer) : IssuerProfile.Of(issuer)))
            .WithSummary("One issuer's public profile; for the admin also its account's balance (balanceWei) and the anchors that pays for at the current fee.");

        return routes;
    }
}
