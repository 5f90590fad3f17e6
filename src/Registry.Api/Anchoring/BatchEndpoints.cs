using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Credentials;
using Registry.Api.Problems;
using Registry.Api.Security;
using Registry.Api.Storage;

namespace Registry.Api.Anchoring;

/// <summary>
/// A batch. While it waits: <c>waiting</c> says why it is not sent (funds, fees); once mined,
/// <c>blockNumber</c> and <c>confirmations</c> of <c>confirmationsRequired</c> show how far it is.
/// </summary>
public sealed record BatchView(
    string Id, string Issuer, string Status, string Root, int Count, string? TransactionHash, long? BlockNumber,
    int? Confirmations, int? ConfirmationsRequired, DateTime? AnchoredAt, long? GasUsed, DateTime SealedAt, string? Waiting, string? LastError, bool Voided)
{
    public static BatchView Of(BatchEntity b) =>
        new(b.Id, b.IssuerId, b.State, b.Root, b.Count, b.TransactionHash, b.BlockNumber, b.Confirmations, b.ConfirmationsRequired,
            b.AnchoredAt, b.GasUsed, b.SealedAt, b.Waiting, b.LastError, b.Voided);
}

public sealed record SealedBatch(string Id);

public static class BatchEndpoints
{
    public static IEndpointRouteBuilder MapBatches(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/batches").WithTags("Batches").WithBatchId()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/", Accepted<SealedBatch> (ClaimsPrincipal user, RegistryDatabase database, BatchSealer sealer, AnchoringService anchoring) =>
            {
                var issuer = CredentialEndpoints.CurrentIssuer(user, database);
                if (issuer.RemovedAt is not null)
                    throw new ProblemException(StatusCodes.Status403Forbidden, "Issuer removed", "This issuer was removed and can no longer anchor.");
                var batch = sealer.Seal(issuer.Id) ?? throw ProblemException.Conflict("There are no pending credentials to seal.");
                anchoring.Wake();
                return TypedResults.Accepted($"/batches/{batch.Id}", new SealedBatch(batch.Id));
            })
            .RequireAuthorization(Policies.Issuer)
            .WithSummary("Seal the issuer's pending credentials into a batch now; it is anchored in the background.")
            .WithBodyLimit(BodyLimits.Small)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/reseal", Accepted<SealedBatch> (string id, ClaimsPrincipal user, RegistryDatabase database, BatchSealer sealer,
                AnchoringService anchoring) =>
            {
                var issuer = CredentialEndpoints.CurrentIssuer(user, database);
                var batch = database.Batches.FindById(id) is { } found && found.IssuerId == issuer.Id
                    ? found : throw ProblemException.NotFound($"Batch {id}");
                if (issuer.RemovedAt is not null)
                    throw new ProblemException(StatusCodes.Status403Forbidden, "Issuer removed", "This issuer was removed and can no longer anchor.");
                if (batch.State != BatchStates.Failed)
                    throw ProblemException.Conflict($"Batch {id} is {batch.State}; only a failed batch can be sealed again.");
                var resealed = sealer.Reseal(batch);
                anchoring.Wake();
                return TypedResults.Accepted($"/batches/{resealed.Id}", new SealedBatch(resealed.Id));
            })
            .RequireAuthorization(Policies.Issuer)
            .WithSummary("Seal a failed batch's credentials again, with any others pending, into a new batch that is anchored in the background.")
            .WithBodyLimit(BodyLimits.Small)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/", Ok<IReadOnlyList<BatchView>> (ClaimsPrincipal user, RegistryDatabase database, int? skip, int? limit) =>
            {
                var holder = user.Holder();
                var query = database.Batches.Query();
                if (holder.Role == Roles.Issuer) query = query.Where(b => b.IssuerId == holder.Id);
                IReadOnlyList<BatchView> page = query.OrderByDescending(b => b.SealedAt)
                    .Skip(Paging.Skip(skip)).Limit(Paging.Limit(limit)).ToList().Select(BatchView.Of).ToList();
                return TypedResults.Ok(page);
            })
            .RequireAuthorization(Policies.IssuerOrAuditor)
            .WithSummary("Batches, newest first (an issuer sees its own); page with skip and limit (at most 1,000).")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/{id}", Ok<BatchView> (string id, ClaimsPrincipal user, RegistryDatabase database) =>
            {
                var holder = user.Holder();
                var batch = database.Batches.FindById(id);
                if (batch is null || (holder.Role == Roles.Issuer && batch.IssuerId != holder.Id))
                    throw ProblemException.NotFound($"Batch {id}");
                return TypedResults.Ok(BatchView.Of(batch));
            })
            .RequireAuthorization(Policies.IssuerOrAuditor)
            .WithSummary("One batch: its root, transaction, block and gas.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return routes;
    }
}
