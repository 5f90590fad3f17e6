using Npgsql;
using Registry.Audit;
using Registry.Verification;

namespace Registry.Api.Storage.Postgres;

internal sealed class PostgresIssuerStore(PostgresDatabase database) : IIssuerStore
{
    public IssuerEntity? Find(string id) =>
        RegistryIds.IsGuid(id) ? database.Document<IssuerEntity>("select document from issuers where id = $1", id) : null;

    public IssuerEntity? FindByName(string name) =>
        database.Document<IssuerEntity>(
            "select document from issuers where name_key = $1 and document ->> 'Admission' is null order by created_at limit 1", NameKey(name));

    /// <summary>The lookup of an issuer by its API key's hash, which the schema's index <c>issuers_by_api_key</c> serves.</summary>
    internal const string ByApiKeyHash = "select document from issuers where document ->> 'ApiKeyHash' = $1 order by created_at limit 1";

    public IssuerEntity? FindByApiKeyHash(string hash) => database.Document<IssuerEntity>(ByApiKeyHash, hash);

    public IReadOnlyList<IssuerEntity> All() => database.Documents<IssuerEntity>("select document from issuers order by created_at, id");

    public void Add(IssuerEntity issuer) =>
        database.Execute("insert into issuers (id, name_key, created_at, document) values ($1, $2, $3, $4::jsonb)",
            issuer.Id, NameKey(issuer.Name), Utc(issuer.CreatedAt), PostgresDatabase.ToJson(issuer));

    public void Update(IssuerEntity issuer) =>
        database.Execute("update issuers set name_key = $2, document = $3::jsonb where id = $1", issuer.Id, NameKey(issuer.Name), PostgresDatabase.ToJson(issuer));

    public IReadOnlyList<BatchEntity> Remove(IssuerEntity issuer) =>
        database.InTransaction((connection, transaction) =>
        {
            var anchored = new List<BatchEntity>();
            using (var select = PostgresDatabase.Command(connection, transaction,
                "select document from batches where issuer_id = $1 and state = $2 for update", issuer.Id, BatchStates.Anchored))
            using (var reader = select.ExecuteReader())
                while (reader.Read()) anchored.Add(PostgresDatabase.FromJson<BatchEntity>(reader.GetString(0)));
            var voided = anchored.Where(b => b.AnchoredAt > issuer.TrustedUntil).ToList();
            foreach (var batch in voided)
            {
                batch.Voided = true;
                PostgresBatchStore.Update(connection, transaction, batch);
            }
            using (var update = PostgresDatabase.Command(connection, transaction, "update issuers set document = $2::jsonb where id = $1",
                issuer.Id, PostgresDatabase.ToJson(issuer)))
                update.ExecuteNonQuery();
            return voided;
        });

    /// <summary>Names are compared without case, as the data folder's store compares them.</summary>
    private static string NameKey(string name) => name.ToUpperInvariant();

    internal static DateTime Utc(DateTime time) => time.Kind == DateTimeKind.Utc ? time : DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc);
}

internal sealed class PostgresAuditorStore(PostgresDatabase database) : IAuditorStore
{
    public void Add(AuditorEntity auditor) =>
        database.Execute("insert into auditors (id, created_at, document) values ($1, $2, $3::jsonb)",
            auditor.Id, PostgresIssuerStore.Utc(auditor.CreatedAt), PostgresDatabase.ToJson(auditor));

    /// <summary>The lookup of an auditor by its API key's hash, which the schema's index <c>auditors_by_api_key</c> serves.</summary>
    internal const string ByApiKeyHash = "select document from auditors where document ->> 'ApiKeyHash' = $1 order by created_at limit 1";

    public AuditorEntity? FindByApiKeyHash(string hash) => database.Document<AuditorEntity>(ByApiKeyHash, hash);

    public IReadOnlyList<AuditorEntity> All() => database.Documents<AuditorEntity>("select document from auditors order by created_at, id");
}

internal sealed class PostgresRevocationStore(PostgresDatabase database) : IRevocationStore
{
    public RevocationEntity? Find(string credentialId) => database.Document<RevocationEntity>("select document from revocations where id = $1", credentialId);

    public void Record(IReadOnlyList<RevocationEntity> revocations) =>
        database.InTransaction((connection, transaction) =>
        {
            foreach (var revocation in revocations)
            {
                using var upsert = PostgresDatabase.Command(connection, transaction,
                    "insert into revocations (id, pending, document) values ($1, $2, $3::jsonb) on conflict (id) do update set pending = $2, document = $3::jsonb",
                    revocation.Id, revocation.Pending, PostgresDatabase.ToJson(revocation));
                upsert.ExecuteNonQuery();
            }
            return true;
        });

    public IReadOnlyList<RevocationEntity> Pending() => database.Documents<RevocationEntity>("select document from revocations where pending");

    public void Confirm(RevocationEntity revocation)
    {
        revocation.Pending = false;
        database.Execute("update revocations set pending = false, document = $2::jsonb where id = $1", revocation.Id, PostgresDatabase.ToJson(revocation));
    }

    public void Clear(string credentialId) => database.Execute("delete from revocations where id = $1", credentialId);
}

internal sealed class PostgresSettingsStore(PostgresDatabase database) : ISettingsStore
{
    public string? Get(string id)
    {
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, null, "select value from settings where id = $1", id);
        return command.ExecuteScalar() as string;
    }

    public void Set(params (string Id, string Value)[] values) =>
        database.InTransaction((connection, transaction) =>
        {
            foreach (var (id, value) in values)
            {
                using var upsert = PostgresDatabase.Command(connection, transaction,
                    "insert into settings (id, value) values ($1, $2) on conflict (id) do update set value = $2", id, value);
                upsert.ExecuteNonQuery();
            }
            return true;
        });
}

internal sealed class PostgresChainEventStore(PostgresDatabase database) : IChainEventStore
{
    public FollowedChain? Resume(string contract) =>
        database.InTransaction((connection, transaction) =>
        {
            ChainPoint? cursor = null;
            using (var read = PostgresDatabase.Command(connection, transaction,
                "select block_number, block_hash, block_time from chain_cursor where contract = $1", contract))
            using (var reader = read.ExecuteReader())
                if (reader.Read()) cursor = new ChainPoint(reader.GetInt64(0), reader.GetString(1), DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(2)));
            // Another contract's events (a reset local chain's) are dropped, as is everything when nothing of this contract was read.
            using (var drop = PostgresDatabase.Command(connection, transaction, "delete from chain_events where contract <> $1 or $2", contract, cursor is null))
                drop.ExecuteNonQuery();
            using (var forget = PostgresDatabase.Command(connection, transaction, "delete from chain_cursor where contract <> $1", contract))
                forget.ExecuteNonQuery();
            if (cursor is null) return null;
            var events = new List<RegistryEvent>();
            using (var select = PostgresDatabase.Command(connection, transaction, "select document from chain_events where contract = $1 order by id", contract))
            using (var reader = select.ExecuteReader())
                while (reader.Read()) events.Add(PostgresDatabase.FromJson<RegistryEvent>(reader.GetString(0)));
            return new FollowedChain(cursor, events);
        });

    public void Append(string contract, IReadOnlyList<RegistryEvent> events, ChainPoint end) =>
        database.InTransaction((connection, transaction) =>
        {
            foreach (var e in events)
            {
                using var insert = PostgresDatabase.Command(connection, transaction,
                    "insert into chain_events (contract, id, block_number, document) values ($1, $2, $3, $4::jsonb) " +
                    "on conflict (contract, id) do update set block_number = $3, document = $4::jsonb",
                    contract, ChainEventEntity.IdOf(e.BlockNumber, e.LogIndex), e.BlockNumber, PostgresDatabase.ToJson(e));
                insert.ExecuteNonQuery();
            }
            SaveCursor(connection, transaction, contract, end, forward: true);
            return true;
        });

    public void RollBack(string contract, ChainPoint? ancestor) =>
        database.InTransaction((connection, transaction) =>
        {
            using (var delete = PostgresDatabase.Command(connection, transaction, "delete from chain_events where contract = $1 and block_number > $2",
                contract, ancestor?.Number ?? -1))
                delete.ExecuteNonQuery();
            SaveCursor(connection, transaction, contract, ancestor);
            return true;
        });

    /// <summary>
    /// Moves the cursor to <paramref name="point"/>. Every instance follows the chain and stores what it
    /// read; one that is behind (<paramref name="forward"/>: after reading forward) never moves the cursor
    /// back, and the events it stores again are the same rows. A rollback moves it back.
    /// </summary>
    private static void SaveCursor(NpgsqlConnection connection, NpgsqlTransaction transaction, string contract, ChainPoint? point, bool forward = false)
    {
        using var command = point is null
            ? PostgresDatabase.Command(connection, transaction, "delete from chain_cursor where contract = $1", contract)
            : PostgresDatabase.Command(connection, transaction,
                "insert into chain_cursor (contract, block_number, block_hash, block_time) values ($1, $2, $3, $4) " +
                "on conflict (contract) do update set block_number = $2, block_hash = $3, block_time = $4" + (forward ? " where chain_cursor.block_number <= $2" : ""),
                contract, point.Number, point.Hash, point.Time.ToUnixTimeSeconds());
        command.ExecuteNonQuery();
    }
}

/// <summary>A credential, its batch and its revocation in one query: one round trip for a credential's status.</summary>
internal sealed class PostgresCredentialStates(PostgresDatabase database) : ICredentialStates
{
    public CredentialState? Find(string id)
    {
        if (!RegistryIds.TryParseGuid(id, out var guid)) return null;
        using var connection = database.Open();
        using var command = PostgresDatabase.Command(connection, null,
            $"select {PostgresCredentialStore.CredentialColumns}, b.document, r.document from credentials c {PostgresCredentialStore.BatchOfCredential} " +
            "left join revocations r on r.id = $2 where c.id = $1", guid, id);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return new CredentialState(PostgresCredentialStore.ReadCredential(reader, id),
            reader.IsDBNull(4) ? null : PostgresDatabase.FromJson<BatchEntity>(reader.GetString(4)),
            reader.IsDBNull(5) ? null : PostgresDatabase.FromJson<RevocationEntity>(reader.GetString(5)));
    }
}
