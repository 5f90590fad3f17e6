using LiteDB;
using Registry.Api.Storage;
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
            var batch = new BatchEntity
            {
                Id = Guid.NewGuid().ToString(),
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
                database.Batches.Insert(batch);
                return database.Credentials.Update(members);
            });
            trees.Add(batch.Id, tree);
            pending.Sealed(issuerId, members.Count, waiting.Count > members.Count ? waiting[members.Count].CreatedAt : null);
            return batch;
        }
    }
}
