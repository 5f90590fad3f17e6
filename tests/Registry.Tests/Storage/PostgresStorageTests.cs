using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Registry.Api.Storage;
using Registry.Api.Storage.Postgres;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Storage;

/// <summary>
/// What only the PostgreSQL store has: its versioned schema, its setting, sealing that refuses members
/// another seal took, and a registry whose everything is in the database, so that a second instance with
/// an empty data folder of its own serves what the first issued.
/// </summary>
public sealed class PostgresStorageTests
{
    [Fact]
    public void The_schema_is_created_once_recorded_by_version_and_a_newer_one_is_refused()
    {
        var url = PostgresServer.NewDatabaseUrl();
        using (var first = new PostgresStorage(url)) Assert.Equal(0, first.FoundVersion);
        using (var again = new PostgresStorage(url)) Assert.Equal(PostgresSchema.Version, again.FoundVersion);

        using (var connection = new NpgsqlConnection(DatabaseUrl.ToConnectionString(url)))
        {
            connection.Open();
            using var versions = new NpgsqlCommand("select count(*), max(version) from registry_schema", connection);
            using (var reader = versions.ExecuteReader())
            {
                Assert.True(reader.Read());
                Assert.Equal(PostgresSchema.Version, reader.GetInt64(0));
                Assert.Equal(PostgresSchema.Version, reader.GetInt32(1));
            }
            using var newer = new NpgsqlCommand($"insert into registry_schema (version) values ({PostgresSchema.Version + 1})", connection);
            newer.ExecuteNonQuery();
        }
        var refusal = Assert.Throws<InvalidDataException>(() => new PostgresStorage(url));
        Assert.Contains($"version {PostgresSchema.Version + 1}", refusal.Message);
    }

    [Theory]
    [InlineData("postgresql://registry:secret@db.example:6543/credentials", true)]
    [InlineData("postgres://registry@localhost/credentials", true)]
    [InlineData("postgresql://registry:secret@db.example:6543/", false)]
    [InlineData("mysql://registry@db.example/credentials", false)]
    [InlineData("db.example/credentials", false)]
    public void The_database_url_is_read_or_refused_with_what_it_must_be(string url, bool valid)
    {
        Assert.Equal(valid, DatabaseUrl.TryParse(url, out var settings, out var problem));
        if (valid)
        {
            Assert.Equal("credentials", settings.Database);
            Assert.Equal("registry", settings.Username);
        }
        else Assert.StartsWith("a postgresql://", problem);
    }

    [Fact]
    public void A_database_that_does_not_answer_is_named_as_unavailable()
    {
        var refusal = Assert.Throws<StoreUnavailableException>(() => new PostgresStorage($"postgresql://postgres@127.0.0.1:{FreePorts.Next()}/nothing"));
        Assert.Contains("REGISTRY_DATABASE_URL", refusal.Message);
    }

    [Fact]
    public void A_database_of_version_4_keeps_each_credential_pending_or_in_its_batch_once_pending_credentials_have_their_own_table()
    {
        const string issuerId = "6f9619ff-8b86-4d11-b42d-00c04fc964ff";
        string anchored = new('a', 32), resealed = new('b', 32);
        // In version 4 a credential was pending while its batch_id was null; a resealed batch kept its members' rows.
        Guid[] ids = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        // 32 bytes of one value, as a digest or a salt is stored.
        static string Bytes(string hex) => $"decode(repeat('{hex}', 32), 'hex')";
        string B00 = Bytes("00"), B04 = Bytes("04"), B05 = Bytes("05"), B06 = Bytes("06"), B07 = Bytes("07");
        var url = DatabaseOfVersion(4,
            "insert into batches (id, issuer_id, state, sealed_at, document) values " +
            "(@a, @issuer, 'anchored', now(), jsonb_build_object('Id', @a, 'IssuerId', @issuer, 'State', 'anchored')), " +
            "(@r, @issuer, 'resealed', now(), jsonb_build_object('Id', @r, 'IssuerId', @issuer, 'State', 'resealed'));" +
            "insert into credentials (id, issuer_id, created_ticks, salt, digest, status_index, document, batch_id) values " +
            $"(@c0, @issuer, 1, {B00}, {B04}, 0, '\\x7b7d', @a), (@c1, @issuer, 3, {B00}, {B05}, 1, '\\x7b7d', null), " +
            $"(@c2, @issuer, 2, {B00}, {B06}, 2, '\\x7b7d', null), (@c3, @issuer, 4, {B00}, {B07}, 3, '\\x7b7d', @a);" +
            "insert into batch_members (batch_id, position, credential_id, digest) values " +
            $"(@a, 0, @c0, {B04}), (@a, 1, @c3, {B07}), (@r, 0, @c2, {B06});",
            new Dictionary<string, object> { ["a"] = anchored, ["r"] = resealed, ["issuer"] = issuerId }.Concat(Numbered("c", ids)));
        using var storage = new PostgresStorage(url);
        Assert.Equal(4, storage.FoundVersion);
        Assert.Equal([anchored, null, null, anchored], ids.Select(id => storage.Credentials.Find(id.ToString())!.BatchId));
        Assert.Equal([anchored, null, null, anchored], ids.Select(id => storage.CredentialStates.Find(id.ToString())!.Batch?.Id));
        // The pending ones, oldest first: the one released from the resealed batch (time 2), then the other (time 3).
        Assert.Equal([ids[2], ids[1]], storage.Credentials.SelectPending(issuerId, 10)!.Ids);
        Assert.Equal((issuerId, 2, new DateTime(2, DateTimeKind.Utc)), Assert.Single(storage.Credentials.PendingByIssuer()));
    }

    [Fact]
    public void A_database_of_version_5_reads_its_documents_back_compresses_new_ones_with_lz4_and_releases_a_failed_batch_in_its_order()
    {
        const string issuerId = "6f9619ff-8b86-4d11-b42d-00c04fc964ff";
        string failed = new('f', 32);
        // Documents over the 2 KB from which the server compresses a row, as every credential the registry stores is.
        static byte[] Document(int n) => System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{n},\"text\":\"{string.Concat(Enumerable.Repeat("Data Analysis with Python. ", 120))}\"}}");
        // The failed batch's members, of one request (one time), stored in the opposite order to their positions in the batch.
        Guid[] members = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        var url = DatabaseOfVersion(5,
            "insert into batches (id, issuer_id, state, sealed_at, document) values " +
            "(@f, @issuer, 'failed', now(), jsonb_build_object('Id', @f, 'IssuerId', @issuer, 'State', 'failed'));" +
            "insert into credentials (id, issuer_id, created_ticks, salt, digest, status_index, document) values " +
            "(@c2, @issuer, 10, decode(repeat('00', 32), 'hex'), decode(repeat('03', 32), 'hex'), 2, @d2), " +
            "(@c1, @issuer, 10, decode(repeat('00', 32), 'hex'), decode(repeat('02', 32), 'hex'), 1, @d1), " +
            "(@c0, @issuer, 10, decode(repeat('00', 32), 'hex'), decode(repeat('01', 32), 'hex'), 0, @d0);" +
            "insert into batch_members (batch_id, position, credential_id, digest) values " +
            "(@f, 0, @c0, decode(repeat('01', 32), 'hex')), (@f, 1, @c1, decode(repeat('02', 32), 'hex')), (@f, 2, @c2, decode(repeat('03', 32), 'hex'));",
            new Dictionary<string, object> { ["f"] = failed, ["issuer"] = issuerId }.Concat(Numbered("c", members))
                .Concat(Numbered("d", members.Select((_, i) => Document(i)).ToArray())));

        using var storage = new PostgresStorage(url);
        Assert.Equal(5, storage.FoundVersion);
        var added = Guid.NewGuid();
        storage.Credentials.Add(issuerId, [new NewCredential(added, new DateTime(40, DateTimeKind.Utc),
            global::Registry.Hashing.Keccak256.Hash([4]), global::Registry.Hashing.Keccak256.Hash([5]), Document(3), 3)]);
        for (var i = 0; i < members.Length; i++)
            Assert.Equal(Document(i), System.Text.Encoding.UTF8.GetBytes(storage.Credentials.Read(storage.Credentials.Find(members[i].ToString())!).Document));
        Assert.Equal(Document(3), System.Text.Encoding.UTF8.GetBytes(storage.Credentials.Read(storage.Credentials.Find(added.ToString())!).Document));
        using (var connection = new NpgsqlConnection(DatabaseUrl.ToConnectionString(url)))
        {
            connection.Open();
            // Rows stored before keep the compression they were written with; a new one is compressed with lz4.
            using var compression = new NpgsqlCommand("select pg_column_compression(document) from credentials where id = $1", connection);
            compression.Parameters.AddWithValue(members[0]);
            Assert.Equal("pglz", compression.ExecuteScalar());
            compression.Parameters[0].Value = added;
            Assert.Equal("lz4", compression.ExecuteScalar());
        }

        // Released in their order in the batch (version 5 ordered them as they were stored), and before the newer one.
        storage.Batches.Reopen(storage.Batches.Find(failed)!);
        Assert.Equal([.. members, added], storage.Credentials.SelectPending(issuerId, 10)!.Ids);
    }

    [Fact]
    public void A_database_of_version_6_counts_each_issuers_pending_credentials_and_sealing_and_releasing_keep_the_count()
    {
        const string first = "6f9619ff-8b86-4d11-b42d-00c04fc964ff", second = "0f8fad5b-d9cb-469f-a165-70867728950e";
        Guid[] ids = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        // Two pending credentials of the first issuer (times 5 and 3), one of the second (time 7).
        var url = DatabaseOfVersion(6,
            "insert into credentials (id, issuer_id, created_ticks, salt, digest, status_index, document) values " +
            "(@c0, @a, 5, decode(repeat('00', 32), 'hex'), decode(repeat('01', 32), 'hex'), 0, '\\x7b7d'), " +
            "(@c1, @a, 3, decode(repeat('00', 32), 'hex'), decode(repeat('02', 32), 'hex'), 1, '\\x7b7d'), " +
            "(@c2, @b, 7, decode(repeat('00', 32), 'hex'), decode(repeat('03', 32), 'hex'), 0, '\\x7b7d');" +
            "insert into pending_credentials (id, issuer_id, created_ticks, digest) select id, issuer_id, created_ticks, digest from credentials;",
            new Dictionary<string, object> { ["a"] = first, ["b"] = second }.Concat(Numbered("c", ids)));

        using var storage = new PostgresStorage(url);
        Assert.Equal(6, storage.FoundVersion);
        (string, int, DateTime) Pending(string issuer, int count, long oldest) => (issuer, count, new DateTime(oldest, DateTimeKind.Utc));
        Assert.Equal([Pending(first, 2, 3), Pending(second, 1, 7)], storage.Credentials.PendingByIssuer().OrderBy(p => p.IssuerId == second));
        Assert.Equal([first], storage.Credentials.Due(2, TimeSpan.FromDays(1), new DateTime(8, DateTimeKind.Utc)));

        var batch = new BatchEntity { Id = new string('a', 32), IssuerId = first, Count = 1, SealedAt = DateTime.UtcNow };
        storage.Batches.Seal(batch, storage.Credentials.SelectPending(first, 1)!);
        Assert.Equal([Pending(first, 1, 5), Pending(second, 1, 7)], storage.Credentials.PendingByIssuer().OrderBy(p => p.IssuerId == second));
        storage.Batches.Seal(new BatchEntity { Id = new string('b', 32), IssuerId = second, Count = 1, SealedAt = DateTime.UtcNow },
            storage.Credentials.SelectPending(second, 1)!);
        Assert.Equal([Pending(first, 1, 5)], storage.Credentials.PendingByIssuer());
        storage.Batches.Reopen(storage.Batches.Find(batch.Id)!);
        Assert.Equal([Pending(first, 2, 3)], storage.Credentials.PendingByIssuer());
        storage.Credentials.Add(second, [new NewCredential(Guid.NewGuid(), new DateTime(9, DateTimeKind.Utc),
            global::Registry.Hashing.Keccak256.Hash([4]), global::Registry.Hashing.Keccak256.Hash([5]), [(byte)'{', (byte)'}'], 1)]);
        Assert.Equal([Pending(first, 2, 3), Pending(second, 1, 9)], storage.Credentials.PendingByIssuer().OrderBy(p => p.IssuerId == second));
    }

    [Fact]
    public void A_database_of_version_7_finds_its_issuers_and_auditors_by_their_api_keys_hash_through_an_index()
    {
        const string issuerId = "6f9619ff-8b86-4d11-b42d-00c04fc964ff", auditorId = "0f8fad5b-d9cb-469f-a165-70867728950e";
        string issuerKey = new('a', 64), auditorKey = new('b', 64);
        var url = DatabaseOfVersion(7,
            "insert into issuers (id, name_key, created_at, document) values " +
            "(@issuer, 'KEYED COLLEGE', now(), jsonb_build_object('Id', @issuer, 'Name', 'Keyed College', 'ApiKeyHash', @issuerKey));" +
            "insert into auditors (id, created_at, document) values " +
            "(@auditor, now(), jsonb_build_object('Id', @auditor, 'Name', 'Council', 'ApiKeyHash', @auditorKey));",
            new Dictionary<string, object> { ["issuer"] = issuerId, ["issuerKey"] = issuerKey, ["auditor"] = auditorId, ["auditorKey"] = auditorKey });

        using (var storage = new PostgresStorage(url))
        {
            Assert.Equal(7, storage.FoundVersion);
            Assert.Equal(issuerId, storage.Issuers.FindByApiKeyHash(issuerKey)!.Id);
            Assert.Equal(auditorId, storage.Auditors.FindByApiKeyHash(auditorKey)!.Id);
            Assert.Null(storage.Issuers.FindByApiKeyHash(auditorKey));
            Assert.Null(storage.Auditors.FindByApiKeyHash(issuerKey));
        }

        // Each lookup is an index scan, not a read of every row (the planner told to avoid scanning the table, which it
        // would prefer for a table this small, takes the index only when one serves the lookup as written).
        foreach (var (sql, index) in new[] { (PostgresIssuerStore.ByApiKeyHash, "issuers_by_api_key"), (PostgresAuditorStore.ByApiKeyHash, "auditors_by_api_key") })
        {
            var plan = PlanWithoutTableScans(url, sql, issuerKey);
            Assert.True(plan.Any(line => line.Contains("Index Scan", StringComparison.Ordinal) && line.Contains(index, StringComparison.Ordinal)), string.Join('\n', plan));
        }
    }

    /// <summary>
    /// The lines of the plan PostgreSQL makes for <paramref name="sql"/> with these parameters, told to avoid scanning a table
    /// (which it would prefer for a table this small) so that it takes an index whenever one serves the query as written.
    /// </summary>
    private static List<string> PlanWithoutTableScans(string url, string sql, params object[] parameters)
    {
        using var connection = new NpgsqlConnection(DatabaseUrl.ToConnectionString(url));
        connection.Open();
        using (var noScans = new NpgsqlCommand("set enable_seqscan = off", connection)) noScans.ExecuteNonQuery();
        using var explain = new NpgsqlCommand("explain " + sql, connection);
        foreach (var parameter in parameters) explain.Parameters.AddWithValue(parameter);
        var plan = new List<string>();
        using var reader = explain.ExecuteReader();
        while (reader.Read()) plan.Add(reader.GetString(0));
        return plan;
    }

    [Fact]
    public void A_database_of_version_8_finds_the_credentials_it_holds_by_issuer_and_status_index_through_an_index()
    {
        const string issuerId = "6f9619ff-8b86-4d11-b42d-00c04fc964ff";
        Guid[] ids = [Guid.NewGuid(), Guid.NewGuid()];
        var url = DatabaseOfVersion(8,
            "insert into credentials (id, issuer_id, created_ticks, salt, digest, status_index, document) values " +
            "(@c0, @issuer, 5, decode(repeat('00', 32), 'hex'), decode(repeat('01', 32), 'hex'), 0, '\\x7b7d'), " +
            "(@c1, @issuer, 6, decode(repeat('00', 32), 'hex'), decode(repeat('02', 32), 'hex'), 7, '\\x7b7d');",
            new Dictionary<string, object> { ["issuer"] = issuerId }.Concat(Numbered("c", ids)));

        using (var storage = new PostgresStorage(url))
        {
            Assert.Equal(8, storage.FoundVersion);
            Assert.Equal([ids[0].ToString(), null, ids[1].ToString()], new long[] { 0, 1, 7 }.Select(i => storage.Credentials.FindByStatusIndex(issuerId, i)?.Id));
        }

        // The lookup reads the index, not every row: the plan of the very query, with scans of the table ruled out (the
        // index by issuer and digest would serve the issuer alone).
        var plan = PlanWithoutTableScans(url, PostgresCredentialStore.ByStatusIndex, issuerId, 7L);
        Assert.True(plan.Any(line => line.Contains("credentials_by_status_index", StringComparison.Ordinal)), string.Join('\n', plan));
    }

    [Fact]
    public void Sealing_members_another_seal_took_changes_nothing()
    {
        using var storage = new PostgresStorage(PostgresServer.NewDatabaseUrl());
        const string issuerId = "6f9619ff-8b86-4d11-b42d-00c04fc964ff";
        var at = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        storage.Credentials.Add(issuerId, Enumerable.Range(0, 3).Select(i =>
            new NewCredential(Guid.NewGuid(), at.AddSeconds(i), global::Registry.Hashing.Keccak256.Hash([(byte)i]), global::Registry.Hashing.Keccak256.Hash([(byte)(i + 10)]), [(byte)'{', (byte)'}'], i)).ToList());
        var both = storage.Credentials.SelectPending(issuerId, 2)!;
        var one = storage.Credentials.SelectPending(issuerId, 1)!;
        storage.Batches.Seal(new BatchEntity { Id = new string('a', 32), IssuerId = issuerId, Count = 1, SealedAt = at }, one);
        Assert.Throws<SealConflictException>(() =>
            storage.Batches.Seal(new BatchEntity { Id = new string('b', 32), IssuerId = issuerId, Count = 2, SealedAt = at }, both));
        Assert.Null(storage.Batches.Find(new string('b', 32)));
        Assert.Equal(2, storage.Credentials.SelectPending(issuerId, 10)!.Count);
    }

    [Fact]
    public async Task A_second_instance_with_an_empty_data_folder_serves_what_the_first_issued_and_anchored()
    {
        await using var node = await LocalNode.StartAsync<LocalAnvilNode>();
        var settings = new Dictionary<string, string> { ["REGISTRY_DATABASE_URL"] = PostgresServer.NewDatabaseUrl() };
        string id;
        JsonObject portable;
        CreatedIssuer issuer;
        await using (var first = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Database University", settings: settings))
        {
            issuer = first.Issuer;
            id = (await first.App.IssueAndAnchorAsync(first.Client, Samples.Badge("did:example:shared")))[0];
            portable = await first.Client.PortableAsync(id);
            Assert.True((await first.App.VerifyAsync(portable))["verified"]!.GetValue<bool>());
            // Nothing of the registry's went to the data folder but what the settings could have given instead.
            Assert.DoesNotContain(Directory.EnumerateFiles(first.App.DataDir), f => Path.GetFileName(f) is "registry.db" or "credentials.log" or "batches.log");
        }

        await using var second = new RegistryApp(node.RpcUrl, dataDir: null, settings);
        var client = second.ClientWithKey(issuer.ApiKey);
        var status = (await client.GetFromJsonAsync<JsonObject>($"/credentials/{id}"))!;
        Assert.Equal("anchored", status["status"]!.GetValue<string>());
        Assert.Equal(portable.ToJsonString(), (await client.PortableAsync(id)).ToJsonString());
        Assert.True((await second.VerifyAsync(portable))["verified"]!.GetValue<bool>());
        var more = await second.IssueAndAnchorAsync(client, Samples.Plain());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/credentials/{more[0]}/credential.json")).StatusCode);
        Assert.Equal(2, second.Services.GetRequiredService<ICredentialStore>().Count);
    }

    /// <summary>A new database brought to schema <paramref name="version"/> and filled by <paramref name="sql"/> with its named values, as a registry of that version left it: its URL.</summary>
    private static string DatabaseOfVersion(int version, string sql, IEnumerable<KeyValuePair<string, object>> values)
    {
        var url = PostgresServer.NewDatabaseUrl();
        using var source = NpgsqlDataSource.Create(DatabaseUrl.ToConnectionString(url));
        PostgresSchema.Migrate(source, version);
        using var fill = source.CreateCommand(sql);
        foreach (var (name, value) in values) fill.Parameters.AddWithValue(name, value);
        fill.ExecuteNonQuery();
        return url;
    }

    /// <summary>The values as parameters <paramref name="prefix"/>0, <paramref name="prefix"/>1, …</summary>
    private static IEnumerable<KeyValuePair<string, object>> Numbered<T>(string prefix, T[] values) where T : notnull =>
        values.Select((value, i) => KeyValuePair.Create($"{prefix}{i}", (object)value));
}
