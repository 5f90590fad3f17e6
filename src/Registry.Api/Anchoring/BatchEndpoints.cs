using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Credentials;
using Registry.Api.Issuers;
using Registry.Api.Outcomes;
using Registry.Api.Problems;
using Registry.Api.Security;
using Registry.Api.Storage;

namespace Registry.Api.Anchoring;

/// <summary>
/// A batch. While it waits: <c>waiting</c> says why it is not sent (funds, fees); once mined,
/// <c>blockNumber</c> and <c>confirmations</c> of <c>confirmationsRequired</c> show how far it is. The fields the
/// specification lists are always written (<c>transactionHash</c>, <c>blockNumber</c>, <c>anchoredAt</c> and
/// <c>gasUsed</c> are <c>null</c> until known); the others only when they have a value.
/// </summary>
public sealed record BatchView(
    string Id, string Issuer, string Status, string Root, int Count,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? TransactionHash,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? BlockNumber,
    int? Confirmations, int? ConfirmationsRequired,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTime? AnchoredAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? GasUsed, DateTime SealedAt, string? Waiting, string? LastError, bool Voided)
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

        group.MapPost("/", Results<Accepted<SealedBatch>, Problem<IssuerRemoved>, Problem<StateConflict>> (ClaimsPrincipal user, IIssuerStore issuers,
                BatchSealer sealer, AnchoringService anchoring) =>
                sealer.SealNow(CredentialEndpoints.CurrentIssuer(user, issuers)).Answer(batch => Sent(batch, anchoring)))
            .RequireAuthorization(Policies.Issuer)
            .WithSummary("Seal the issuer's pending credentials into a batch now; it is anchored in the background.")
            .WithBodyLimit(BodyLimits.Small);

        group.MapPost("/{id}/reseal", Results<Accepted<SealedBatch>, Problem<Unknown>, Problem<IssuerRemoved>, Problem<StateConflict>> (string id,
                ClaimsPrincipal user, IIssuerStore issuers, BatchSealer sealer, AnchoringService anchoring) =>
                sealer.ResealFailed(CredentialEndpoints.CurrentIssuer(user, issuers), id).Answer(batch => Sent(batch, anchoring)))
            .RequireAuthorization(Policies.Issuer)
            .WithSummary("Seal a failed batch's credentials again, with any others pending, into a new batch that is anchored in the background.")
            .WithBodyLimit(BodyLimits.Small);

        group.MapGet("/", Results<Ok<IReadOnlyList<BatchView>>, Problem<Invalid>> (ClaimsPrincipal user, IBatchStore batches, int? skip, int? limit) =>
            {
                if (Paging.Refuses(skip, limit) is { } invalid) return Problem.Of(invalid);
                var holder = user.Holder();
                IReadOnlyList<BatchView> page = batches.Page(holder.Role == Roles.Issuer ? holder.Id : null, skip ?? 0, Paging.Limit(limit))
                    .Select(BatchView.Of).ToList();
                return TypedResults.Ok(page);
            })
            .RequireAuthorization(Policies.IssuerOrAuditor)
            .WithSummary("Batches, newest first (an issuer sees its own); page with skip and limit (at most 1,000).");

        group.MapGet("/{id}", Results<Ok<BatchView>, Problem<Unknown>> (string id, ClaimsPrincipal user, IBatchStore batches) =>
                batches.Find(id) is { } batch && (user.Holder().Role != Roles.Issuer || batch.IssuerId == user.Holder().Id)
                    ? TypedResults.Ok(BatchView.Of(batch))
                    : Problem.Of(new Unknown($"Batch {id}")))
            .RequireAuthorization(Policies.IssuerOrAuditor)
            .WithSummary("One batch: its root, transaction, block and gas.");

        return routes;
    }

    /// <summary>A batch sealed on request: the anchoring loop is woken to send it.</summary>
    private static Accepted<SealedBatch> Sent(BatchEntity batch, AnchoringService anchoring)
    {
        anchoring.Wake();
        return TypedResults.Accepted($"/batches/{batch.Id}", new SealedBatch(batch.Id));
    }
}
