using Npgsql;

namespace Registry.Api.Storage.Postgres;

/// <summary>
/// The registry's tables, created and migrated at start. Each migration runs once, in a transaction of
/// its own that also records its number in <c>registry_schema</c>; instances starting together wait
/// for each other on an advisory lock, so each migration runs once in all. A database whose schema is
/// newer than this registry knows is refused.
/// </summary>
public static class PostgresSchema
{
    /// <summary>The advisory lock migrations hold (a fixed number: "REGISTRY" in ASCII).</summary>
    private const long MigrationLock = 0x5245_4749_5354_5259;

    /// <summary>The migrations, in order: the schema's version is how many have run.</summary>
    private static readonly string[] Migrations =
    [
        """
        create table settings (id text primary key, value text not null);
        create table issuers (id text primary key, name_key text not null, created_at timestamptz not null, document jsonb not null);
        create index issuers_by_name on issuers (name_key);
        create table auditors (id text primary key, created_at timestamptz not null, document jsonb not null);
        create table credentials (
            seq bigint generated always as identity,
            id uuid primary key,
            issuer_id text not null,
            created_ticks bigint not null,
            salt bytea not null,
            digest bytea not null,
            status_index bigint not null,
            document bytea not null,
            batch_id text);
        create index credentials_pending on credentials (issuer_id, created_ticks, seq) where batch_id is null;
        create index credentials_by_digest on credentials (issuer_id, digest);
        create table batches (id text primary key, issuer_id text not null, state text not null, sealed_at timestamptz not null, document jsonb not null);
        create index batches_unfinished on batches (state) where state in ('sealed', 'submitted');
        create index batches_by_issuer on batches (issuer_id, sealed_at);
        create index batches_by_time on batches (sealed_at);
        create table batch_members (batch_id text not null, position integer not null, credential_id uuid not null, digest bytea not null,
            primary key (batch_id, position));
        create table revocations (id text primary key, pending boolean not null, document jsonb not null);
        create index revocations_pending on revocations (id) where pending;
        create table chain_events (contract text not null, id text not null, block_number bigint not null, document jsonb not null,
            primary key (contract, id));
        create table chain_cursor (contract text primary key, block_number bigint not null, block_hash text not null, block_time bigint not null);
        """,
        """
        create table qualifications (id text primary key, created_at timestamptz not null, document jsonb not null);
        create table awards (id text primary key, document jsonb not null);
        create index awards_by_component on awards using gin ((document -> 'ComponentDigests'));
        """,
        """
        create table anchoring_lease (id integer primary key check (id = 1), holder text not null, token bigint not null, expires_at timestamptz not null);
        insert into anchoring_lease (id, holder, token, expires_at) values (1, '', 0, '-infinity');
        create table status_counters (issuer_id text primary key, next_index bigint not null);
        insert into status_counters (issuer_id, next_index) select issuer_id, max(status_index) + 1 from credentials group by issuer_id;
        """,
        """
        create table offers (id text primary key, issuer_id text not null, created_at timestamptz not null, expires_at timestamptz not null,
            state text not null, challenge text, document jsonb not null);
        create index offers_by_issuer on offers (issuer_id, created_at);
        """,
        // Pending credentials in a narrow table of their own, and a credential's batch found through its batch's
        // members: sealing deletes narrow rows instead of rewriting every member's whole row (document included)
        // to set its batch, which took 206 s for a batch of 1,000,000.
        """
        create table pending_credentials (seq bigint generated always as identity, issuer_id text not null, created_ticks bigint not null,
            id uuid not null, digest bytea not null);
        insert into pending_credentials (issuer_id, created_ticks, id, digest)
            select issuer_id, created_ticks, id, digest from credentials where batch_id is null order by seq;
        create index pending_in_order on pending_credentials (issuer_id, created_ticks, seq);
        create index batch_members_by_credential on batch_members (credential_id);
        drop index credentials_pending;
        alter table credentials drop column batch_id;
        """,
        // A credential's document (about 2.9 KB, over the 2 KB from which the server compresses a row) compressed with lz4
        // instead of pglz, which took a fifth of the server's CPU while it ingested credentials; a server built without lz4
        // keeps pglz. The credential's own sequence number, which only ordered a released batch's members (their
        // positions in the batch give the same order), is no longer drawn for every row. Both change the catalog only:
        // rows already stored are not rewritten, and their documents keep the compression they were written with.
        """
        do $$
        begin
            execute 'alter table credentials alter column document set compression lz4';
        exception when feature_not_supported then null;
        end $$;
        alter table credentials drop column seq;
        """,
        // How many credentials each issuer has pending, kept by the transactions that add, seal and release them: the
        // anchoring instance asks which issuers are due four times a second, and counting pending_credentials for it
        // read every pending row each time (29 ms at 100,000, a scan the size of the batch while a large one filled).
        """
        create table pending_counts (issuer_id text primary key, pending bigint not null);
        insert into pending_counts (issuer_id, pending) select issuer_id, count(*) from pending_credentials group by issuer_id;
        """,
        // Issuers and auditors by their API key's hash: an instance that does not hold a key in memory (its holder was
        // created through another instance) looks that one hash up at once, instead of reading every holder again.
        """
        create index issuers_by_api_key on issuers ((document ->> 'ApiKeyHash'));
        create index auditors_by_api_key on auditors ((document ->> 'ApiKeyHash'));
        """,
        // A credential found by its issuer and status index, which its status list entry names: how POST /credentials/verify
        // recognises a credential of this registry whose id is the issuer's own. An issuer's indexes are given in order, so
        // its new rows go to the right edge of its range of the index.
        """
        create index credentials_by_status_index on credentials (issuer_id, status_index);
        """,
    ];

    /// <summary>The version this registry writes.</summary>
    public static int Version => Migrations.Length;

    /// <summary>Brings the database's schema to <see cref="Version"/>; returns the version it found.</summary>
    public static int Migrate(NpgsqlDataSource source) => Migrate(source, Version);

    /// <summary>Brings the database's schema to <paramref name="target"/> (an earlier version, for a test of a later migration).</summary>
    internal static int Migrate(NpgsqlDataSource source, int target)
    {
        using var connection = source.OpenConnection();
        int found;
        using (var transaction = connection.BeginTransaction())
        {
            using (var locking = new NpgsqlCommand($"select pg_advisory_xact_lock({MigrationLock})", connection, transaction))
                locking.ExecuteNonQuery();
            using (var create = new NpgsqlCommand("create table if not exists registry_schema (version integer not null)", connection, transaction))
                create.ExecuteNonQuery();
            using (var read = new NpgsqlCommand("select coalesce(max(version), 0) from registry_schema", connection, transaction))
                found = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (found > Version)
                throw new InvalidDataException(
                    $"The database's schema is version {found}; this registry knows versions up to {Version}. Run a registry of that version or later.");
            for (var version = found + 1; version <= target; version++)
            {
                using var migrate = new NpgsqlCommand(Migrations[version - 1], connection, transaction);
                migrate.ExecuteNonQuery();
                using var record = new NpgsqlCommand("insert into registry_schema (version) values ($1)", connection, transaction);
                record.Parameters.AddWithValue(version);
                record.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        return found;
    }
}
