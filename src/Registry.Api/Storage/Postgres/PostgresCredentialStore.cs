using Npgsql;
using NpgsqlTypes;
using Registry.Hashing;

namespace Registry.Api.Storage.Postgres;

/// <summary>
/// Credentials in the <c>credentials</c> table, written with binary <c>COPY</c> in one transaction per
/// request, and never changed after. A pending credential also has a narrow row in
/// <c>pending_credentials</c> (id, issuer, time, digest), indexed in each issuer's order of age, which
/// sealing deletes, and is counted in its issuer's row of <c>pending_counts</c>; a sealed one's batch is the batch whose members (<c>batch_members</c>) hold it, other
/// than a failed batch whose members were released (resealed).
/// </summary>
internal sealed class PostgresCredentialStore(PostgresDatabase database) : ICredentialStore
{
    /// <summary>
    /// A lateral join giving the batch (<c>b</c>) that holds credential <c>c</c>, if any: its batch's row
    /// as <c>b.id</c> and <c>b.document</c>.
    /// </summary>
    internal const string BatchOfCredential =
        "left join lateral (select b.id, b.document from batch_members m join batches b on b.id = m.batch_id " +
        "where m.credential_id = c.id and b.state <> 'resealed' limit 1) b on true";

    public int Count
    {
        get
        {
            using var connection = database.Open();
            using var command = PostgresDatabase.Command(connection, null, "select count(*) from credentials");
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    // Every instance reserves from one counter per issuer in status_counters, so no two give the same index.
    // An index reserved by a request that never stored stays unused: its bit in the issuer's list is never set.
    public long ReserveStatusIndexes(string issuerId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, null,
            "insert into status_counters (issuer_id, next_index) values ($1, $2) " +
            "on conflict (issuer_id) do update set next_index = status_counters.next_index + excluded.next_index returning next_index",
            issuerId, (long)count);
        return (long)command.ExecuteScalar()! - count;
    }

    public void ReleaseStatusIndexes(string issuerId, long first, int count) =>
        database.Execute("update status_counters set next_index = $2 where issuer_id = $1 and next_index = $3", issuerId, first, first + count);

    public long StatusIndexesOf(string issuerId)
    {
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, null, "select next_index from status_counters where issuer_id = $1", issuerId);
        return command.ExecuteScalar() is long next ? next : 0;
    }

    public IReadOnlyList<long> StatusIndexesOf(string issuerId, IReadOnlySet<Bytes32> digests)
    {
        var found = new List<long>(digests.Count);
        if (digests.Count == 0) return found;
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, null,
            "select status_index from credentials where issuer_id = $1 and digest = any($2) and status_index >= 0",
            issuerId, digests.Select(d => d.ToArray()).ToArray());
        using var reader = command.ExecuteReader();
        while (reader.Read()) found.Add(reader.GetInt64(0));
        return found;
    }

    public void Add(string issuerId, IReadOnlyList<NewCredential> credentials) =>
        database.InTransaction((connection, transaction) =>
        {
            using (var copy = connection.BeginBinaryImport(
                "copy credentials (id, issuer_id, created_ticks, salt, digest, status_index, document) from stdin (format binary)"))
            {
                foreach (var credential in credentials)
                {
                    copy.StartRow();
                    copy.Write(credential.Id, NpgsqlDbType.Uuid);
                    copy.Write(issuerId, NpgsqlDbType.Text);
                    copy.Write(credential.CreatedAt.Ticks, NpgsqlDbType.Bigint);
                    copy.Write(credential.Salt.ToArray(), NpgsqlDbType.Bytea);
                    copy.Write(credential.Digest.ToArray(), NpgsqlDbType.Bytea);
                    copy.Write(credential.StatusIndex, NpgsqlDbType.Bigint);
                    copy.Write(credential.Document, NpgsqlDbType.Bytea);
                }
                copy.Complete();
            }
            using (var pending = connection.BeginBinaryImport(
                "copy pending_credentials (id, issuer_id, created_ticks, digest) from stdin (format binary)"))
            {
                foreach (var credential in credentials)
                {
                    pending.StartRow();
                    pending.Write(credential.Id, NpgsqlDbType.Uuid);
                    pending.Write(issuerId, NpgsqlDbType.Text);
                    pending.Write(credential.CreatedAt.Ticks, NpgsqlDbType.Bigint);
                    pending.Write(credential.Digest.ToArray(), NpgsqlDbType.Bytea);
                }
                pending.Complete();
            }
            // Last, so that the issuer's count is locked only while the transaction commits.
            CountPending(connection, transaction, issuerId, credentials.Count);
            return true;
        });

    /// <summary>
    /// Adds <paramref name="change"/> (negative: taken) to the issuer's count in <c>pending_counts</c>, in the
    /// transaction that adds, seals or releases its pending credentials.
    /// </summary>
    internal static void CountPending(NpgsqlConnection connection, NpgsqlTransaction transaction, string issuerId, long change)
    {
        using var count = PostgresDatabase.Command(connection, transaction,
            "insert into pending_counts (issuer_id, pending) values ($1, $2) " +
            "on conflict (issuer_id) do update set pending = pending_counts.pending + excluded.pending", issuerId, change);
        count.ExecuteNonQuery();
    }

    public StoredCredential? Find(string id)
    {
        if (!RegistryIds.TryParseGuid(id, out var guid)) return null;
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, null,
            $"select {CredentialColumns} from credentials c {BatchOfCredential} where c.id = $1", guid);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadCredential(reader, id) : null;
    }

    /// <summary>The credential of issuer <c>$1</c> at status index <c>$2</c>: <see cref="CredentialColumns"/>, then its id.</summary>
    internal const string ByStatusIndex =
        $"select {CredentialColumns}, c.id from credentials c {BatchOfCredential} where c.issuer_id = $1 and c.status_index = $2 limit 1";

    public StoredCredential? FindByStatusIndex(string issuerId, long statusIndex)
    {
        if (!RegistryIds.IsGuid(issuerId) || statusIndex < 0) return null;
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, null, ByStatusIndex, issuerId, statusIndex);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadCredential(reader, reader.GetGuid(4).ToString()) : null;
    }

    /// <summary>The columns <see cref="ReadCredential"/> reads first, of credential <c>c</c> and its batch <c>b</c> (<see cref="BatchOfCredential"/>).</summary>
    internal const string CredentialColumns = "c.issuer_id, c.created_ticks, c.digest, b.id";

    /// <summary>The credential of this id from the row's first columns, <see cref="CredentialColumns"/>.</summary>
    internal static StoredCredential ReadCredential(NpgsqlDataReader reader, string id) =>
        new(id, reader.GetString(0), new DateTime(reader.GetInt64(1), DateTimeKind.Utc),
            Bytes32.FromSpan(reader.GetFieldValue<byte[]>(2)), reader.IsDBNull(3) ? null : reader.GetString(3));

    public StoredDocument Read(StoredCredential credential)
    {
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, null, "select salt, document from credentials where id = $1", Guid.Parse(credential.Id));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) throw new InvalidDataException($"Credential {credential.Id} is no longer in the database.");
        return new StoredDocument(Bytes32.FromSpan(reader.GetFieldValue<byte[]>(0)), System.Text.Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(1)));
    }

    public IReadOnlyList<(string IssuerId, int Count, DateTime Oldest)> PendingByIssuer()
    {
        using var connection = database.Open();
        // The count kept per issuer, and its oldest from the front of the issuer's pending index: neither reads the pending rows.
        using var command = PostgresDatabase.Command(connection, null,
            "select c.issuer_id, c.pending, (select min(p.created_ticks) from pending_credentials p where p.issuer_id = c.issuer_id) " +
            "from pending_counts c where c.pending > 0");
        using var reader = command.ExecuteReader();
        var pending = new List<(string, int, DateTime)>();
        while (reader.Read())
            if (!reader.IsDBNull(2)) pending.Add((reader.GetString(0), (int)reader.GetInt64(1), new DateTime(reader.GetInt64(2), DateTimeKind.Utc)));
        return pending;
    }

    public PendingSelection? SelectPending(string issuerId, int max)
    {
        using var connection = database.Open();
        using var command = PostgresDatabase.BulkCommand(connection, null,
            "select id, digest from pending_credentials where issuer_id = $1 order by created_ticks, seq limit $2", issuerId, max);
        using var reader = command.ExecuteReader();
        var ids = new List<Guid>();
        var digests = new List<Bytes32>();
        while (reader.Read())
        {
            ids.Add(reader.GetGuid(0));
            digests.Add(Bytes32.FromSpan(reader.GetFieldValue<byte[]>(1)));
        }
        return ids.Count == 0 ? null : new PendingSelection(issuerId, [], [.. digests], [.. ids]);
    }
}
