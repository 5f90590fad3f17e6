using LiteDB;
using Registry.Api.Storage;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Merkle;

namespace Registry.Api.Anchoring;

/// <summary>
/// Seals an issuer's pending credentials into a batch: builds the Merkle tree and stores the batch's
/// root and members, in one transaction, before any transaction is sent for it.
/// </summary>
public sealed class BatchSealer(RegistryDatabase database, PendingCredentials pending, BatchTrees trees, RegistryOptions options, TimeProvider clock)
{
    private readonly Lock _sealing = new();

    /// <summary>
    /// Returns a failed batch's credentials to the pending queue and seals a batch at once. The failed
    /// batch stays on record as resealed, unless the new batch has the same members, and so the same
    /// id: then the new batch takes its place.
    /// </summary>
    public BatchEntity Reseal(BatchEntity failed)
    {
        lock (_sealing)
        {
            var members = database.Credentials.Find(Query.EQ(nameof(CredentialEntity.BatchId), failed.Id)).ToList();
            foreach (var member in members)
            {
                member.BatchId = null;
                member.PendingFor = failed.IssuerId;
            }
            failed.State = BatchStates.Resealed;
            database.InTransaction(() =>
            {
                database.Batches.Update(failed);
                return database.Credentials.Update(members);
            });
            if (members.Count > 0) pending.Added(failed.IssuerId, members.Count, members.Min(m => m.CreatedAt));
            return Seal(failed.IssuerId) ?? throw new InvalidOperationException($"Batch {failed.Id} had no credentials to seal again.");
        }
    }

    /// <summary>Seals up to one batch of the issuer's oldest pending credentials; null when none is pending.</summary>
    public BatchEntity? Seal(string issuerId)
    {
        lock (_sealing)
        {
            var waiting = database.Credentials.Find(Query.EQ(nameof(CredentialEntity.PendingFor), issuerId))
                .OrderBy(c => c.CreatedAt).ToList();
            if (waiting.Count == 0)
            {
                pending.Sealed(issuerId, int.MaxValue, null);
                return null;
            }
            var members = waiting.Take(options.MaxBatchSize).ToList();
            var digests = new Bytes32[members.Count];
            var packed = new byte[32 * members.Count];
            for (var i = 0; i < members.Count; i++)
            {
                digests[i] = Bytes32.Parse(members[i].Digest);
                digests[i].WriteTo(packed.AsSpan(32 * i, 32));
            }
            var tree = MerkleTree.Build(digests);
            var issuer = database.Issuers.FindById(issuerId);
            var batch = new BatchEntity
            {
                Id = BatchIds.For(issuer.Address, tree.Root),
                IssuerId = issuerId,
                State = BatchStates.Sealed,
                Root = tree.Root.ToString(),
                Count = members.Count,
                Digests = packed,
                SealedAt = clock.GetUtcNow().UtcDateTime,
            };
            foreach (var member in members)
            {
                member.PendingFor = null;
                member.BatchId = batch.Id;
            }
            database.InTransaction(() =>
            {
                // A batch id names its (issuer, root): the same members sealed again after a failure get the
                // same id, and the new batch takes the failed one's place.
                database.Batches.Upsert(batch);
                return database.Credentials.Update(members);
            });
            trees.Add(batch.Id, tree);
            pending.Sealed(issuerId, members.Count, waiting.Count > members.Count ? waiting[members.Count].CreatedAt : null);
            return batch;
        }
    }
}
