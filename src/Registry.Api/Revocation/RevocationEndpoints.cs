using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Credentials;
using Registry.Api.Issuers;
using Registry.Api.Outcomes;
using Registry.Api.Problems;
using Registry.Api.Qualifications;
using Registry.Api.Reference;
using Registry.Api.Security;
using Registry.Api.Storage;
using RevocationAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Accepted<Registry.Api.Revocation.RevocationResult>,
    Registry.Api.Problems.Problem<Registry.Api.Outcomes.Invalid>, Registry.Api.Problems.Problem<Registry.Api.Issuers.IssuerRemoved>,
    Registry.Api.Problems.Problem<Registry.Api.Outcomes.Unknown>, Registry.Api.Problems.Problem<Registry.Api.Outcomes.StateConflict>>;

namespace Registry.Api.Revocation;

public static class RevocationEndpoints
{
    private static readonly RevokeManyRequest ExampleRevocation = new(
        ["6f9619ff-8b86-4d11-b42d-00c04fc964ff", "0b0e6f4e-3f5c-4c55-9d43-6f1f0d1a2b3c"], "The course was withdrawn by its accreditation body.");

    public static IEndpointRouteBuilder MapRevocation(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/credentials").WithTags("Revocation").RequireAuthorization(Policies.Issuer).WithGuidId()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/{id}/revoke", async Task<RevocationAnswer> (string id, RevokeRequest request, ClaimsPrincipal user,
                IIssuerStore issuers, RevocationService revocations, StackAudit stacks, CancellationToken ct) =>
                (await revocations.RevokeAsync(CredentialEndpoints.CurrentIssuer(user, issuers), [id], request.Reason, ct))
                    .Answer(result => TypedResults.Accepted($"/credentials/{id}", WithDependants(result, stacks))))
            .WithSummary("Revoke one credential on chain; the reason (at most 256 characters) is public.")
            .WithRequestExample(new RevokeRequest("Issued in error: the final project was not assessed."))
            .WithBodyLimit(BodyLimits.Small);

        group.MapPost("/revoke", async Task<RevocationAnswer> (RevokeManyRequest request, ClaimsPrincipal user,
                IIssuerStore issuers, RevocationService revocations, StackAudit stacks, CancellationToken ct) =>
                (await revocations.RevokeAsync(CredentialEndpoints.CurrentIssuer(user, issuers), request.Ids, request.Reason, ct))
                    .Answer(result => TypedResults.Accepted("/credentials", WithDependants(result, stacks))))
            .WithSummary("Revoke several credentials of one batch in one transaction, proven by one multiproof.")
            .WithRequestExample(ExampleRevocation)
            .WithBodyLimit(BodyLimits.Small);

        routes.MapPost("/issuers/{id}/revoke", async Task<RevocationAnswer> (string id, RevokeManyRequest request,
                RevocationService revocations, StackAudit stacks, CancellationToken ct) =>
                (await revocations.RevokeForRemovedAsync(id, request.Ids, request.Reason, ct))
                    .Answer(result => TypedResults.Accepted($"/issuers/{id}", WithDependants(result, stacks))))
            .WithTags("Revocation")
            .WithGuidId()
            .RequireAuthorization(Policies.Admin)
            .WithSummary("The operator revokes credentials of one batch for a removed issuer (a closed institution, a stolen key); recorded under that issuer.")
            .WithRequestExample(ExampleRevocation)
            .WithBodyLimit(BodyLimits.Small)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return routes;
    }

    /// <summary>The answer with the qualifications that rested on what was revoked: whom the revocation affects.</summary>
    private static RevocationResult WithDependants(RevocationResult result, StackAudit stacks) => result with { Dependants = stacks.DependantsOf(result.Ids) };
}
