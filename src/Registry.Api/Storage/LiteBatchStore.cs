using LiteDB;
using Registry.Hashing;

namespace Registry.Api.Storage;

/// <summary>
/// Batches in LiteDB, their members in <c>batches.log</c>. Sealing appends the members' record (fsync'd)
/// and then commits the batch's row, which points at it and is what makes them members: a crash in
/// between leaves them pending, and an unreferenced record behind that nothing reads.
/// </summary>
internal sealed class LiteBatchStore(RegistryDatabase database, CredentialStore log) : IBatchStore
{
    public BatchEntity? Find(string id) => database.FindBatch(id);

    public IReadOnlyList<BatchEntity> Unfinished() =>
        database.Batches.Find(Query.In(nameof(BatchEntity.State), BatchStates.Sealed, BatchStates.Submitted)).ToList();

    public IReadOnlyList<BatchEntity> Page(string? issuerId, int skip, int limit)
    {
        var query = database.Batches.Query();
        if (issuerId is not null) query = query.Where(b => b.IssuerId == issuerId);
        return query.OrderByDescending(b => b.SealedAt).Skip(skip).Limit(limit).ToList();
    }

    public void Update(BatchEntity batch) => database.Batches.Update(batch);

    /// <summary>One process opens a data folder, and it always anchors: its lease is never stale.</summary>
    public void Update(BatchEntity batch, AnchoringLease lease) => Update(batch);

    public void Seal(BatchEntity batch, PendingSelection members)
    {
        (batch.MembersOffset, batch.MembersLength) = log.WriteMembers(batch.Id, members);
        database.Batches.Upsert(batch);
        log.MarkBatched(batch.Id, members);
    }

    /// <summary>The row is the commit point here too: once it says resealed, a restart finds the members pending.</summary>
    public void Reopen(BatchEntity failed)
    {
        failed.State = BatchStates.Resealed;
        database.Batches.Update(failed);
        log.ReturnToPending(failed);
    }

    public IReadOnlyList<string> MembersOf(BatchEntity batch) => log.MembersOf(batch);

    public IReadOnlyList<(string Id, Bytes32 Digest)> SealedMembersOf(BatchEntity batch) => log.SealedMembersOf(batch);

    public Bytes32[] DigestsOf(BatchEntity batch) => log.DigestsOf(batch);
}
