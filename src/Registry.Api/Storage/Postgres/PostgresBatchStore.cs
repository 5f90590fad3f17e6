using Npgsql;
using NpgsqlTypes;
using Registry.Hashing;

namespace Registry.Api.Storage.Postgres;

/// <summary>
/// Batches in <c>batches</c> (their state as a JSON document beside the columns queries need), their
/// members in <c>batch_members</c>. Sealing writes the row and the members and deletes the members'
/// rows from <c>pending_credentials</c> (lowering the issuer's <c>pending_counts</c>) in one transaction, and refuses (rolling back) when any member
/// is no longer pending. No credential's own row is written: a batch of 1,000,000 is 1,000,000 narrow
/// rows copied in and as many deleted.
/// </summary>
internal sealed class PostgresBatchStore(PostgresDatabase database) : IBatchStore
{
    public BatchEntity? Find(string id) =>
        RegistryIds.IsBatchId(id) ? database.Document<BatchEntity>("select document from batches where id = $1", id) : null;

    public IReadOnlyList<BatchEntity> Unfinished() =>
        database.Documents<BatchEntity>("select document from batches where state in ('sealed', 'submitted') order by sealed_at");

    public IReadOnlyList<BatchEntity> Page(string? issuerId, int skip, int limit) => issuerId is null
        ? database.Documents<BatchEntity>("select document from batches order by sealed_at desc, id offset $1 limit $2", skip, limit)
        : database.Documents<BatchEntity>("select document from batches where issuer_id = $1 order by sealed_at desc, id offset $2 limit $3", issuerId, skip, limit);

    public void Update(BatchEntity batch) => database.InTransaction((connection, transaction) => Update(connection, transaction, batch));

    public void Update(BatchEntity batch, AnchoringLease lease) =>
        database.InTransaction((connection, transaction) =>
        {
            PostgresAnchoringLeases.RequireLive(connection, transaction, lease);
            return Update(connection, transaction, batch);
        });

    internal static bool Update(NpgsqlConnection connection, NpgsqlTransaction transaction, BatchEntity batch)
    {
        using var update = PostgresDatabase.Command(connection, transaction, "update batches set state = $2, document = $3::jsonb where id = $1",
            batch.Id, batch.State, PostgresDatabase.ToJson(batch));
        return update.ExecuteNonQuery() == 1;
    }

    public void Seal(BatchEntity batch, PendingSelection members) =>
        database.InTransaction((connection, transaction) =>
        {
            using (var upsert = PostgresDatabase.Command(connection, transaction,
                "insert into batches (id, issuer_id, state, sealed_at, document) values ($1, $2, $3, $4, $5::jsonb) " +
                "on conflict (id) do update set issuer_id = $2, state = $3, sealed_at = $4, document = $5::jsonb",
                batch.Id, batch.IssuerId, batch.State, PostgresIssuerStore.Utc(batch.SealedAt), PostgresDatabase.ToJson(batch)))
                upsert.ExecuteNonQuery();
            using (var clear = PostgresDatabase.BulkCommand(connection, transaction, "delete from batch_members where batch_id = $1", batch.Id))
                clear.ExecuteNonQuery();
            using (var copy = connection.BeginBinaryImport("copy batch_members (batch_id, position, credential_id, digest) from stdin (format binary)"))
            {
                copy.Timeout = TimeSpan.FromSeconds(PostgresDatabase.BulkTimeoutSeconds);
                for (var i = 0; i < members.Count; i++)
                {
                    copy.StartRow();
                    copy.Write(batch.Id, NpgsqlDbType.Text);
                    copy.Write(i, NpgsqlDbType.Integer);
                    copy.Write(members.Ids[i], NpgsqlDbType.Uuid);
                    copy.Write(members.Digests[i].ToArray(), NpgsqlDbType.Bytea);
                }
                copy.Complete();
            }
            // The members just copied in have no statistics yet: the planner could take them for a handful and look
            // each one up among the issuer's pending rows in turn, which at a million is a million scans. A hash join is
            // linear at any size.
            using (var plan = PostgresDatabase.Command(connection, transaction, "set local enable_nestloop = off"))
                plan.ExecuteNonQuery();
            using (var take = PostgresDatabase.BulkCommand(connection, transaction,
                "delete from pending_credentials p using batch_members m where m.batch_id = $1 and p.id = m.credential_id and p.issuer_id = $2",
                batch.Id, batch.IssuerId))
            {
                var taken = take.ExecuteNonQuery();
                if (taken != members.Count)
                    throw new SealConflictException($"Batch {batch.Id}: {members.Count - taken} of its {members.Count} credentials are no longer pending; nothing was sealed.");
            }
            PostgresCredentialStore.CountPending(connection, transaction, batch.IssuerId, -members.Count);
            return true;
        });

    public void Reopen(BatchEntity failed) =>
        database.InTransaction((connection, transaction) =>
        {
            // Members go back to pending once: a batch already resealed released them before.
            using (var state = PostgresDatabase.Command(connection, transaction, "select state from batches where id = $1 for update", failed.Id))
            {
                var resealed = state.ExecuteScalar() is BatchStates.Resealed;
                failed.State = BatchStates.Resealed;
                if (resealed) return true;
            }
            Update(connection, transaction, failed);
            // In their first order: sealing took them oldest first, so their positions in the batch are that order.
            using var release = PostgresDatabase.BulkCommand(connection, transaction,
                "insert into pending_credentials (id, issuer_id, created_ticks, digest) " +
                "select c.id, c.issuer_id, c.created_ticks, c.digest from batch_members m join credentials c on c.id = m.credential_id " +
                "where m.batch_id = $1 order by m.position", failed.Id);
            PostgresCredentialStore.CountPending(connection, transaction, failed.IssuerId, release.ExecuteNonQuery());
            return true;
        });

    public IReadOnlyList<string> MembersOf(BatchEntity batch) => SealedMembersOf(batch).Select(m => m.Id).ToList();

    public IReadOnlyList<(string Id, Bytes32 Digest)> SealedMembersOf(BatchEntity batch)
    {
        using var connection = database.Open();
        using var command = PostgresDatabase.BulkCommand(connection, null,
            "select credential_id, digest from batch_members where batch_id = $1 order by position", batch.Id);
        using var reader = command.ExecuteReader();
        var members = new List<(string, Bytes32)>(batch.Count);
        while (reader.Read()) members.Add((reader.GetGuid(0).ToString(), Bytes32.FromSpan(reader.GetFieldValue<byte[]>(1))));
        return members;
    }

    public Bytes32[] DigestsOf(BatchEntity batch) => SealedMembersOf(batch).Select(m => m.Digest).ToArray();
}
