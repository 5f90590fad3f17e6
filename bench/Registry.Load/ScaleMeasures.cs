using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Registry.Api.Storage.Postgres;
using Registry.Hashing;

namespace Registry.Load;

/// <summary>
/// A registry of many credentials on PostgreSQL, without issuing them all over HTTP: one real batch of
/// 1,000 is issued, sealed and anchored through the API, and the rest are written straight into the
/// <c>credentials</c> table by binary <c>COPY</c>, and into <c>batch_members</c> as members of that batch (each with an id and a digest
/// of its own, derived from its number, and a short document). An instance started afterwards on that
/// database is then asked for credentials by id over HTTP and by digest through the store, and its
/// resident memory is read: the figures at 10,000 and at 10,000,000 side by side.
/// </summary>
public static class ScaleMeasures
{
    private const int RealCredentials = Badges.PerRequest;
    /// <summary>The timed lookups of each kind: BENCH_SCALE_LOOKUPS, 2,000 when unset (the test of bench.sh, which times nothing, asks for 100).</summary>
    private static readonly int Lookups =
        int.TryParse(Environment.GetEnvironmentVariable("BENCH_SCALE_LOOKUPS"), out var lookups) && lookups >= 100 ? lookups : 2_000;
    /// <summary>
    /// How long the instance serves lookups, uncounted, before the timed ones: BENCH_SCALE_WARMUP_SECONDS, 10 when unset
    /// (some 20,000 lookups, after which its median no longer falls; the test of bench.sh asks for none).
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("BENCH_SCALE_WARMUP_SECONDS"), out var seconds) && seconds >= 0 ? seconds : 10);
    private const int CopyChunk = 500_000;

    /// <summary>What the measuring step needs of the preparing one, kept in a file between the two.</summary>
    private sealed record Prepared(string IssuerId, string IssuerKey, string BatchId, int Count);

    /// <summary>Issues and anchors 1,000 real credentials through the API, then copies in the rest up to <paramref name="count"/>.</summary>
    public static async Task PrepareAsync(Uri api, string adminKey, string databaseUrl, int count, string preparedOut)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromMinutes(10) };
        using var admin = new HttpRequestMessage(HttpMethod.Post, "/issuers") { Content = JsonContent.Create(new { name = $"Scale Institute {count:N0}" }) };
        admin.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
        using var created = await http.SendAsync(admin);
        created.EnsureSuccessStatusCode();
        var issuer = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var issuerId = issuer["id"]!.GetValue<string>();
        var key = issuer["apiKey"]!.GetValue<string>();

        using (var bulk = new HttpRequestMessage(HttpMethod.Post, "/credentials/bulk") { Content = new ByteArrayContent(new Badges().Body(0)) })
        {
            bulk.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            bulk.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            using var accepted = await http.SendAsync(bulk);
            if ((int)accepted.StatusCode != 202) throw new InvalidOperationException($"bulk: {(int)accepted.StatusCode} {await accepted.Content.ReadAsStringAsync()}");
        }
        var batchId = (await HttpMeasures.SendAsync<JsonObject>(http, HttpMethod.Post, "/batches", key))["id"]!.GetValue<string>();
        while ((await HttpMeasures.SendAsync<JsonObject>(http, HttpMethod.Get, $"/batches/{batchId}", key))["status"]!.GetValue<string>() != "anchored")
            await Task.Delay(50);

        var clock = Stopwatch.StartNew();
        await using var source = NpgsqlDataSource.Create(DatabaseUrl.ToConnectionString(databaseUrl));
        var ticks = DateTime.UtcNow.Ticks;
        for (var first = 0; first < count - RealCredentials; first += CopyChunk)
        {
            var last = Math.Min(first + CopyChunk, count - RealCredentials);
            await using var connection = await source.OpenConnectionAsync();
            await using (var copy = await connection.BeginBinaryImportAsync(
                "copy credentials (id, issuer_id, created_ticks, salt, digest, status_index, document) from stdin (format binary)"))
            {
                for (var i = first; i < last; i++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(IdOf(i), NpgsqlDbType.Uuid);
                    await copy.WriteAsync(issuerId, NpgsqlDbType.Text);
                    await copy.WriteAsync(ticks, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(DigestOf(i, "salt"), NpgsqlDbType.Bytea);
                    await copy.WriteAsync(DigestOf(i, "digest"), NpgsqlDbType.Bytea);
                    await copy.WriteAsync((long)(RealCredentials + i), NpgsqlDbType.Bigint);
                    await copy.WriteAsync(Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"), NpgsqlDbType.Bytea);
                }
                await copy.CompleteAsync();
            }
            await using var members = await connection.BeginBinaryImportAsync(
                "copy batch_members (batch_id, position, credential_id, digest) from stdin (format binary)");
            for (var i = first; i < last; i++)
            {
                await members.StartRowAsync();
                await members.WriteAsync(batchId, NpgsqlDbType.Text);
                await members.WriteAsync(RealCredentials + i, NpgsqlDbType.Integer);
                await members.WriteAsync(IdOf(i), NpgsqlDbType.Uuid);
                await members.WriteAsync(DigestOf(i, "digest"), NpgsqlDbType.Bytea);
            }
            await members.CompleteAsync();
            Console.WriteLine($"  copied {last:N0} of {count - RealCredentials:N0} ({clock.Elapsed.TotalSeconds:N0} s)");
        }
        // The copied credentials took the status indexes after the real ones: the issuer's counter says so, as issuance would have.
        await using (var counter = source.CreateCommand($"update status_counters set next_index = {count} where issuer_id = '{issuerId}'"))
            await counter.ExecuteNonQueryAsync();
        await using (var analyze = source.CreateCommand("vacuum analyze credentials, batch_members")) await analyze.ExecuteNonQueryAsync();
        Console.WriteLine($"  {count:N0} credentials in the database, {count - RealCredentials:N0} of them copied in {clock.Elapsed.TotalSeconds:N0} s");
        await File.WriteAllTextAsync(preparedOut, JsonSerializer.Serialize(new Prepared(issuerId, key, batchId, count)));
    }

    /// <summary>
    /// On an instance started after <see cref="PrepareAsync"/>: GET /credentials/{id} of 2,000 credentials at
    /// random (<see cref="Lookups"/>), one client, one after another, once the instance has served lookups for
    /// <see cref="WarmUp"/> (the runtime optimises a method only after it has run a while: a serving instance's
    /// figure, not a just-started one's, whose median the row's note gives beside it), and the store's lookup by
    /// digest (the query an instance makes) of 2,000 others after a tenth as many; then the instance's resident memory.
    /// </summary>
    public static async Task MeasureAsync(Uri api, string databaseUrl, int apiPid, string preparedIn, Rows rows)
    {
        var prepared = JsonSerializer.Deserialize<Prepared>(await File.ReadAllTextAsync(preparedIn))!;
        var copied = prepared.Count - RealCredentials;
        var random = new Random(prepared.Count);
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromMinutes(1) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", prepared.IssuerKey);

        // The just-started instance's first lookups are timed apart; then it serves lookups, uncounted, until the
        // warm-up has passed (at least a tenth as many as are timed), and the timed ones follow.
        var cold = await TimeLookupsAsync(http, random, copied, prepared.BatchId);
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < Lookups / 10 || warming.Elapsed < WarmUp; i++) await LookUpAsync(http, random.Next(copied), prepared.BatchId);
        var byId = await TimeLookupsAsync(http, random, copied, prepared.BatchId);

        using var storage = new PostgresStorage(databaseUrl);
        for (var i = 0; i < Lookups / 10; i++) LookUpDigest(storage, prepared.IssuerId, random.Next(copied));
        var byDigest = new double[Lookups];
        for (var i = 0; i < Lookups; i++)
        {
            var n = random.Next(copied);
            var clock = Stopwatch.StartNew();
            LookUpDigest(storage, prepared.IssuerId, n);
            byDigest[i] = clock.Elapsed.TotalMilliseconds;
        }

        var (rss, peak) = HttpMeasures.Memory(apiPid);
        Array.Sort(byDigest);
        var size = prepared.Count;
        rows.Add(new Row("PostgreSQL: GET /credentials/{id} in a registry of this many, median", size, byId[Lookups / 2], "ms", "ours",
            $"one client, {Lookups:N0} at random one after another after {WarmUp.TotalSeconds:N0} s of lookups; p99 {byId[Lookups * 99 / 100]:N2} ms; " +
            $"the instance's first {Lookups:N0} after its start: median {cold[Lookups / 2]:N2} ms"));
        rows.Add(new Row("PostgreSQL: a credential by its digest (the store's lookup), median", size, byDigest[Lookups / 2], "ms", "ours",
            $"{Lookups:N0} at random one after another; p99 {byDigest[Lookups * 99 / 100]:N2} ms"));
        rows.Add(new Row("PostgreSQL: API memory serving a registry of this many (RSS)", size, rss, "MB", "ours",
            $"started on the filled database, after the lookups; peak {peak:N0} MB"));
    }

    /// <summary><see cref="Lookups"/> GET /credentials/{id} of copied credentials at random, one after another: their times in ms, sorted.</summary>
    private static async Task<double[]> TimeLookupsAsync(HttpClient http, Random random, int copied, string batchId)
    {
        var times = new double[Lookups];
        for (var i = 0; i < Lookups; i++)
        {
            var n = random.Next(copied);
            var clock = Stopwatch.StartNew();
            await LookUpAsync(http, n, batchId);
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times;
    }

    private static async Task LookUpAsync(HttpClient http, int n, string batchId)
    {
        var id = IdOf(n).ToString();
        var status = await http.GetFromJsonAsync<JsonObject>($"/credentials/{id}");
        if (status?["id"]?.GetValue<string>() != id || status["batchId"]?.GetValue<string>() != batchId)
            throw new InvalidOperationException($"GET /credentials/{id}: {status?.ToJsonString()}");
    }

    private static void LookUpDigest(PostgresStorage storage, string issuerId, int n)
    {
        // What an instance asks to publish a revoked credential's bit in its issuer's status list: its status index, by digest.
        var found = storage.Credentials.StatusIndexesOf(issuerId, new HashSet<Bytes32> { Bytes32.FromSpan(DigestOf(n, "digest")) });
        if (found.Count != 1 || found[0] != RealCredentials + n) throw new InvalidOperationException($"Copied credential {n} by its digest: [{string.Join(", ", found)}].");
    }

    /// <summary>Copied credential n's id: the first 16 bytes of SHA-256 of "id n".</summary>
    private static Guid IdOf(int n) => new(SHA256.HashData(Encoding.ASCII.GetBytes($"id {n}")).AsSpan(0, 16));

    private static byte[] DigestOf(int n, string what) => SHA256.HashData(Encoding.ASCII.GetBytes($"{what} {n}"));
}
