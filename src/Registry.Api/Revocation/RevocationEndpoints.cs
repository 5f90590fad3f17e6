using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Credentials;
using Registry.Api.Issuers;
using Registry.Api.Problems;
using Registry.Api.Security;
using Registry.Api.Storage;

namespace Registry.Api.Revocation;

public static class RevocationEndpoints
{
    public static IEndpointRouteBuilder MapRevocation(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/credentials").WithTags("Revocation").RequireAuthorization(Policies.Issuer)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/revoke", async Task<Accepted<RevocationResult>> (string id, RevokeRequest request, ClaimsPrincipal user,
                RegistryDatabase database, RevocationService revocations, CancellationToken ct) =>
            {
                var result = await revocations.RevokeAsync(CredentialEndpoints.CurrentIssuer(user, database), [id], request.Reason, ct);
                return TypedResults.Accepted($"/credentials/{id}", result);
            })
            .WithSummary("Revoke one credential on chain; the reason (at most 256 characters) is public.")
            .WithBodyLimit(BodyLimits.Small);

        group.MapPost("/revoke", async Task<Accepted<RevocationResult>> (RevokeManyRequest request, ClaimsPrincipal user,
                RegistryDatabase database, RevocationService revocations, CancellationToken ct) =>
            {
                var result = await revocations.RevokeAsync(CredentialEndpoints.CurrentIssuer(user, database), request.Ids, request.Reason, ct);
                return TypedResults.Accepted("/credentials", result);
            })
            .WithSummary("Revoke several credentials of one batch in one transaction, proven by one multiproof.")
            .WithBodyLimit(BodyLimits.Small);

        routes.MapPost("/issuers/{id}/revoke", async Task<Accepted<RevocationResult>> (string id, RevokeManyRequest request,
                IssuerService issuers, RevocationService revocations, CancellationToken ct) =>
            {
                var issuer = issuers.Find(id) ?? throw ProblemException.NotFound($"Issuer {id}");
                var result = await revocations.RevokeForRemovedAsync(issuer, request.Ids, request.Reason, ct);
                return TypedResults.Accepted($"/issuers/{id}", result);
            })
            .WithTags("Revocation")
            .RequireAuthorization(Policies.Admin)
            .WithSummary("The operator revokes credentials of one batch for a removed issuer (a closed institution, a stolen key); recorded under that issuer.")
            .WithBodyLimit(BodyLimits.Small)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return routes;
    }
}
