using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Registry.Load;

/// <summary>
/// The registry over real HTTP, at each size: bulk issuance by two clients sending 1,000 badges a
/// request (each answer is a 202, which means fsync'd), then sealing them into one batch, waiting for
/// the anchor and fetching proofs, and the API process's memory as the kernel counts it. The portable
/// credentials fetched at the last size, all different, are what <c>POST /verify</c> is timed on in rotation.
/// </summary>
public static class HttpMeasures
{
    private const int Clients = 2;
    private const int ProofSamples = 1_000;

    /// <summary>How many credentials the portfolio that POST /verify is timed on holds.</summary>
    public const int PortfolioSize = 20;

    /// <summary>
    /// The uncounted requests of 1,000 credentials each server is sent before the sizes to warm it (JIT, pools):
    /// BENCH_WARMUP_REQUESTS, 40 when unset (the test of bench.sh, which times nothing, sends one). .NET recompiles a
    /// method optimised once it has run 30 times, so code that runs once a request is still being recompiled until
    /// the 30th: with fewer, a fifth of the instances' processor time at 100,000 went to the compiler.
    /// </summary>
    private static int WarmUpRequests =>
        int.TryParse(Environment.GetEnvironmentVariable("BENCH_WARMUP_REQUESTS"), out var requests) && requests >= 1 ? requests : 40;

    public static async Task RunAsync(Uri api, string adminKey, int apiPid, int[] sizes, Rows rows, string portableOut, string rotationOut, string portfolioOut)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = api, Timeout = TimeSpan.FromMinutes(10) };
        var badges = new Badges();
        var request = 0;

        // A first round warms the server (JIT, pools) and is not counted.
        var warm = await CreateKeyHolderAsync(http, adminKey, "/issuers", "Warm-up College");
        request = WarmUpRequests;
        await IssueAsync([http], warm, badges, 0, request);

        string? portableWritten = null;
        string[] portables = [];
        foreach (var size in sizes)
        {
            if (size % Badges.PerRequest != 0) throw new ArgumentException($"Sizes are multiples of {Badges.PerRequest}: {size}.");
            var key = await CreateKeyHolderAsync(http, adminKey, "/issuers", $"Benchmark Institute {size:N0}");
            var clock = Stopwatch.StartNew();
            var ids = await IssueAsync([http], key, badges, request, size / Badges.PerRequest);
            var issuing = clock.Elapsed.TotalSeconds;
            request += size / Badges.PerRequest;
            rows.Add(new Row("bulk issuance over HTTP, each 202 fsync'd", size, size / issuing, "credentials/s", "ours", $"{Clients} clients, 1,000 a request"));

            var anchored = await SealAndFetchAsync([http], key, ids, new Random(size));
            portables = anchored.Portables;
            if (portableWritten is null)
            {
                portableWritten = portables[0];
                await File.WriteAllTextAsync(portableOut, portables[0]);
            }
            if (!File.Exists(portfolioOut))
            {
                // A learner's portfolio: the first credentials of the first batch, each one once, as one presentation (on one line).
                var portfolio = new List<JsonObject>(PortfolioSize);
                foreach (var id in ids.Take(PortfolioSize))
                    portfolio.Add(await SendAsync<JsonObject>(http, HttpMethod.Get, $"/credentials/{id}/credential.json", key));
                await File.WriteAllTextAsync(portfolioOut, Registry.Portfolio.Presentation.Compose(portfolio).Presentation!.ToJsonString());
            }
            rows.Add(new Row("seal to proofs served", size, anchored.Total, "s", "ours", anchored.Note));
            var (rss, peak) = Memory(apiPid);
            rows.Add(new Row("API memory after the batch (RSS)", size, rss, "MB", "ours", $"peak so far {peak:N0} MB"));
        }
        await VerifyAllAsync([http], portables);
        await File.WriteAllLinesAsync(rotationOut, portables);
    }

    /// <summary>How long a batch took from <c>POST /batches</c> to its proofs served, and the portable credentials fetched.</summary>
    private sealed record SealedBatch(double Sealing, double Anchoring, double Total, string[] Portables)
    {
        public string Note => $"sealed in {Sealing:N2} s, anchored at {Anchoring:N2} s, then {Portables.Length:N0} proofs fetched";
    }

    /// <summary>
    /// Seals the issuer's pending credentials into one batch through the first instance, waits until it is
    /// anchored (asking the last), then fetches the sample's portable credentials with their proofs, the two
    /// clients through the instances in turn.
    /// </summary>
    private static async Task<SealedBatch> SealAndFetchAsync(HttpClient[] through, string key, string[] ids, Random random)
    {
        var clock = Stopwatch.StartNew();
        var batchId = (await SendAsync<JsonObject>(through[0], HttpMethod.Post, "/batches", key))["id"]!.GetValue<string>();
        var sealing = clock.Elapsed.TotalSeconds;
        while (true)
        {
            var batch = await SendAsync<JsonObject>(through[^1], HttpMethod.Get, $"/batches/{batchId}", key);
            var status = batch["status"]!.GetValue<string>();
            if (status == "anchored") break;
            if (status is "failed" or "resealed") throw new InvalidOperationException($"Batch {batchId} is {status}: {batch.ToJsonString()}");
            await Task.Delay(20);
        }
        var anchoring = clock.Elapsed.TotalSeconds;
        var samples = Samples(ids, random);
        var portables = new string[samples.Length];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var http = through[client % through.Length];
            for (int i; (i = Interlocked.Increment(ref next)) < samples.Length;)
            {
                var portable = await SendAsync<JsonObject>(http, HttpMethod.Get, $"/credentials/{samples[i]}/credential.json", key);
                if (portable["proof"]?[0]?["merkleRoot"] is null) throw new InvalidOperationException($"No proof in {samples[i]}.");
                portables[i] = portable.ToJsonString();
            }
        })));
        return new SealedBatch(sealing, anchoring, clock.Elapsed.TotalSeconds, portables);
    }

    /// <summary>The first and the last credential, and up to 1,000 others at random, each once.</summary>
    private static string[] Samples(string[] ids, Random random)
    {
        if (ids.Length <= ProofSamples + 2) return ids;
        var picked = new HashSet<int> { 0, ids.Length - 1 };
        while (picked.Count < ProofSamples + 2) picked.Add(random.Next(ids.Length));
        return picked.Select(i => ids[i]).ToArray();
    }

    /// <summary>
    /// Each portable credential must verify before <c>POST /verify</c> is timed on them, or the timing
    /// would be of quick refusals.
    /// </summary>
    private static async Task VerifyAllAsync(HttpClient[] through, string[] portables)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var http = through[client % through.Length];
            for (int i; (i = Interlocked.Increment(ref next)) < portables.Length;)
            {
                using var content = new StringContent(portables[i], System.Text.Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("/verify", content);
                var answer = await response.Content.ReadFromJsonAsync<JsonObject>();
                if (answer?["verified"]?.GetValue<bool>() != true)
                    throw new InvalidOperationException($"A benchmark credential does not verify: {answer?.ToJsonString()}");
            }
        })));
    }

    /// <summary>
    /// The chain follower catching up: the node mines <paramref name="blocks"/> empty blocks at once, and the
    /// time is how long until the index's answers are as of the new head (GET /audit/events, as an auditor).
    /// </summary>
    public static async Task FollowerCatchUpAsync(Uri api, string adminKey, Uri rpc, int blocks, Rows rows)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromMinutes(2) };
        var auditor = await CreateKeyHolderAsync(http, adminKey, "/auditors", "Benchmark auditor");

        async Task<long> HeadAsync()
        {
            var answer = await (await http.PostAsJsonAsync(rpc, new { jsonrpc = "2.0", id = 1, method = "eth_blockNumber", @params = Array.Empty<object>() }))
                .Content.ReadFromJsonAsync<JsonObject>();
            return Convert.ToInt64(answer!["result"]!.GetValue<string>(), 16);
        }
        var target = await HeadAsync() + blocks;
        var clock = Stopwatch.StartNew();
        (await http.PostAsJsonAsync(rpc, new { jsonrpc = "2.0", id = 1, method = "hardhat_mine", @params = new[] { $"0x{blocks:x}" } })).EnsureSuccessStatusCode();
        var mined = clock.Elapsed.TotalSeconds;
        while (true)
        {
            var page = await SendAsync<JsonObject>(http, HttpMethod.Get, $"/audit/events?fromBlock={target}&limit=1", auditor);
            if (page["asOf"]!["blockNumber"]!.GetValue<long>() >= target) break;
            await Task.Delay(20);
        }
        rows.Add(new Row($"chain follower: the index as of the head after {blocks:N0} new blocks", null, clock.Elapsed.TotalSeconds - mined, "s", "ours",
            $"hardhat_mine {blocks:N0} (took {mined:N1} s), then GET /audit/events until asOf reaches the head"));
    }

    /// <summary>
    /// Two registry instances on one PostgreSQL database, at each size: bulk issuance with one client
    /// sending to each (1,000 a request; a 202 is sent once the transaction committed), then sealing it
    /// all into one batch through the first, waiting until it is anchored and fetching 1,002 proofs through
    /// both, and the instances' memory. The portable credentials fetched at the last size are written to
    /// <paramref name="rotationOut"/>, one a line, each checked to verify through both instances.
    /// </summary>
    public static async Task SharedAsync(Uri first, Uri second, string adminKey, int[] pids, int[] sizes, Rows rows, string rotationOut, int serverPid)
    {
        using var a = new HttpClient { BaseAddress = first, Timeout = TimeSpan.FromMinutes(10) };
        using var b = new HttpClient { BaseAddress = second, Timeout = TimeSpan.FromMinutes(10) };
        HttpClient[] both = [a, b];
        var badges = new Badges();
        var warm = await CreateKeyHolderAsync(a, adminKey, "/issuers", "Warm-up College");
        // Each instance is warmed as the single registry is: one client to each.
        var request = WarmUpRequests * both.Length;
        await IssueAsync(both, warm, badges, 0, request);
        string[] portables = [];
        foreach (var size in sizes)
        {
            if (size % Badges.PerRequest != 0) throw new ArgumentException($"Sizes are multiples of {Badges.PerRequest}: {size}.");
            var key = await CreateKeyHolderAsync(a, adminKey, "/issuers", $"Shared Institute {size:N0}");
            var (serverBefore, instancesBefore) = (ProcessTreeCpu(serverPid), pids.Sum(ProcessCpu));
            var clock = Stopwatch.StartNew();
            var ids = await IssueAsync(both, key, badges, request, size / Badges.PerRequest);
            var seconds = clock.Elapsed.TotalSeconds;
            var (server, instances) = (ProcessTreeCpu(serverPid) - serverBefore, pids.Sum(ProcessCpu) - instancesBefore);
            request += size / Badges.PerRequest;
            if (ids.Distinct().Count() != size) throw new InvalidOperationException($"{size:N0} credentials issued, {ids.Distinct().Count():N0} different ids.");
            rows.Add(new Row("PostgreSQL, two instances: bulk issuance over HTTP, each 202 committed", size, size / seconds, "credentials/s", "ours",
                $"{Clients} clients, one to each instance, 1,000 a request"));
            // CPU time, unlike the rate, hardly depends on what else runs on the machine: the work each side does for a credential.
            rows.Add(new Row("PostgreSQL, two instances: bulk issuance, the PostgreSQL server's CPU per 1,000 credentials", size, server * 1000 / size * 1000, "ms", "ours",
                $"every process of the server, during the issuance (the instances together: {instances * 1000 / size * 1000:N0} ms)"));

            var anchored = await SealAndFetchAsync(both, key, ids, new Random(size));
            portables = anchored.Portables;
            rows.Add(new Row("PostgreSQL, two instances: seal to proofs served", size, anchored.Total, "s", "ours", anchored.Note + ", through both"));
            var memory = pids.Select(Memory).ToArray();
            rows.Add(new Row("PostgreSQL, two instances: API memory after the batch (RSS, the larger)", size, memory.Max(m => m.Rss), "MB", "ours",
                $"each: {string.Join(", ", memory.Select(m => $"{m.Rss:N0} MB (peak {m.Peak:N0})"))}"));
        }
        await VerifyAllAsync(both, portables);
        await File.WriteAllLinesAsync(rotationOut, portables);
    }

    /// <summary>
    /// Issues requests first … first + count − 1 of <paramref name="badges"/> with two clients, client c
    /// sending through <paramref name="through"/>[c modulo its length]; returns the ids in learner order.
    /// </summary>
    private static async Task<string[]> IssueAsync(HttpClient[] through, string key, Badges badges, int first, int count)
    {
        var ids = new string[count * Badges.PerRequest];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var http = through[client % through.Length];
            for (int r; (r = Interlocked.Increment(ref next)) < count;)
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, "/credentials/bulk") { Content = new ByteArrayContent(badges.Body(first + r)) };
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using var response = await http.SendAsync(message);
                if ((int)response.StatusCode != 202) throw new InvalidOperationException($"bulk: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
                var i = r * Badges.PerRequest;
                foreach (var item in answer.RootElement.GetProperty("items").EnumerateArray()) ids[i++] = item.GetProperty("id").GetString()!;
            }
        })));
        return ids;
    }

    /// <summary>Creates an issuer or an auditor as the admin and returns its API key.</summary>
    internal static async Task<string> CreateKeyHolderAsync(HttpClient http, string adminKey, string path, string name)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { name }) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await http.SendAsync(message);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!.GetValue<string>();
    }

    internal static async Task<T> SendAsync<T>(HttpClient http, HttpMethod method, string path, string key)
    {
        using var message = new HttpRequestMessage(method, path);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(message);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    /// <summary>The CPU time the process has used, in seconds (Linux: /proc/PID/stat, user and system).</summary>
    public static double ProcessCpu(int pid) => StatFields(pid) is { } fields ? (double.Parse(fields[11]) + double.Parse(fields[12])) / ClockTicks : 0;

    /// <summary>
    /// The CPU time of a process and every process it started, in seconds: its own and its living children's, and
    /// what its children that ended used (a PostgreSQL server: the postmaster, its backends and its workers).
    /// </summary>
    public static double ProcessTreeCpu(int pid)
    {
        var own = StatFields(pid) ?? throw new InvalidOperationException($"Process {pid} is not running.");
        var total = own.Skip(11).Take(4).Sum(double.Parse) / ClockTicks;
        foreach (var child in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)))
            if (StatFields(int.Parse(child!)) is { } fields && fields[1] == pid.ToString(System.Globalization.CultureInfo.InvariantCulture))
                total += (double.Parse(fields[11]) + double.Parse(fields[12])) / ClockTicks;
        return total;
    }

    /// <summary>The kernel's clock ticks a second, in which /proc/PID/stat counts CPU time (100 on Linux).</summary>
    private const double ClockTicks = 100;

    /// <summary>/proc/PID/stat's fields after the command's name (state first: field 3 of proc(5) is [0]); null when the process ended.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    /// <summary>The process's resident memory now and at its peak, in MB (Linux: /proc/PID/status).</summary>
    public static (double Rss, double Peak) Memory(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        double Kb(string field) => double.Parse(status.First(l => l.StartsWith(field + ":")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return (Kb("VmRSS") / 1024, Kb("VmHWM") / 1024);
    }
}
