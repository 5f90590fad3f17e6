using Registry.Api.Issuers;
using Registry.Api.Outcomes;
using Registry.Api.Storage;
using Registry.Credentials;
using Registry.Merkle;

namespace Registry.Api.Anchoring;

/// <summary>
/// Seals an issuer's pending credentials into a batch: builds the Merkle tree and stores the batch's
/// root and members, in one operation of the batch store, before any transaction is sent for it.
/// </summary>
public sealed class BatchSealer(IIssuerStore issuers, ICredentialStore credentials, IBatchStore batches, BatchTrees trees, RegistryOptions options,
    TimeProvider clock)
{
    private readonly Lock _sealing = new();

    /// <summary>The issuer asks to seal its pending credentials now.</summary>
    public Outcome<BatchEntity, IssuerRemoved, StateConflict> SealNow(IssuerEntity issuer)
    {
        if (IssuerRemoved.Refuses(issuer, IssuerAct.Seal) is { } removed) return removed;
        if (Seal(issuer.Id) is not { } batch) return new StateConflict("There are no pending credentials to seal.");
        return batch;
    }

    /// <summary>The issuer asks to seal the credentials of one of its failed batches again, by the id its request gives.</summary>
    public Outcome<BatchEntity, Unknown, IssuerRemoved, StateConflict> ResealFailed(IssuerEntity issuer, string batchId)
    {
        if (batches.Find(batchId) is not { } failed || failed.IssuerId != issuer.Id) return new Unknown($"Batch {batchId}");
        if (IssuerRemoved.Refuses(issuer, IssuerAct.Seal) is { } removed) return removed;
        if (failed.State != BatchStates.Failed) return new StateConflict($"Batch {batchId} is {failed.State}; only a failed batch can be sealed again.");
        return Reseal(failed);
    }

    /// <summary>
    /// Returns a failed batch's credentials to the pending queue and seals a batch at once. The failed
    /// batch stays on record as resealed, unless the new batch has the same members, and so the same
    /// id: then the new batch takes its place.
    /// </summary>
    public BatchEntity Reseal(BatchEntity failed)
    {
        lock (_sealing)
        {
            batches.Reopen(failed);
            return Seal(failed.IssuerId) ?? throw new InvalidOperationException($"Batch {failed.Id} had no credentials to seal again.");
        }
    }

    /// <summary>
    /// Seals up to one batch of the issuer's oldest pending credentials; null when none is pending.
    /// The members and the batch's row are stored in one operation: a crash leaves them sealed or pending, never half of each.
    /// </summary>
    public BatchEntity? Seal(string issuerId)
    {
        lock (_sealing)
        {
            // Instances sharing a database may seal one issuer's credentials at once (one on a request, the
            // anchoring one when they are due): the store refuses the second, which chooses again.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return SealOnce(issuerId);
                }
                catch (SealConflictException) when (attempt < 3)
                {
                }
            }
        }
    }

    private BatchEntity? SealOnce(string issuerId)
    {
        if (credentials.SelectPending(issuerId, options.MaxBatchSize) is not { } members) return null;
        var tree = MerkleTree.Build(members.Digests);
        var issuer = issuers.Find(issuerId) ?? throw new InvalidOperationException($"Pending credentials name issuer {issuerId}, which is not stored.");
        var batch = new BatchEntity
        {
            Id = BatchIds.For(issuer.Address, tree.Root),
            IssuerId = issuerId,
            State = BatchStates.Sealed,
            Root = tree.Root.ToString(),
            Count = members.Count,
            SealedAt = clock.GetUtcNow().UtcDateTime,
        };
        // A batch id names its (issuer, root): the same members sealed again after a failure get the
        // same id, and the new batch takes the failed one's place.
        batches.Seal(batch, members);
        trees.Add(batch.Id, tree);
        return batch;
    }
}
