using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Registry.Api;
using Registry.Api.Problems;
using Registry.Api.Verification;
using Registry.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Registry.Tests.Verification;

/// <summary>
/// <c>/verify</c> counts bytes per client as well as requests and refuses what is over either unread, and it
/// verifies a few large credentials at a time, so a flood of large bodies cannot take the cores issuance
/// needs; behind a reverse proxy, clients are told apart only by the proxies the operator names.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class VerifyFloodTests(SharedRegistry registry, ITestOutputHelper output)
{
    [Fact]
    public async Task Bodies_over_the_clients_byte_budget_are_429_until_the_minute_is_over()
    {
        await using var app = new RegistryApp(registry.Node.RpcUrl, settings: new Dictionary<string, string> { ["REGISTRY_VERIFY_MIB_PER_MINUTE"] = "4" });
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/verify", Padded(registry.CopyOfPortable(), 3 << 20))).StatusCode);
        var refused = await client.PostAsync("/verify", Padded(registry.CopyOfPortable(), 3 << 20));
        var problem = await Api.ProblemTests.ExpectProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("MiB", problem["detail"]!.GetValue<string>());
        // What is left of the budget still verifies a usual credential.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/verify", registry.CopyOfPortable())).StatusCode);
    }

    /// <summary>Bodies a second the flood sends: twice the rate of the probe that found the problem (480 bodies of 4 MiB in 18 s).</summary>
    private const int FloodRate = 54;

    [Theory]
    [InlineData((4 << 20) - 4096)] // refused for the client's byte budget
    [InlineData((4 << 20) + 4096)] // refused for the route's limit: read and dropped only within the client's byte budget
    public async Task Issuance_keeps_its_pace_while_one_client_floods_verify_with_large_bodies(int size)
    {
        // The registry and the flood each run in a process of their own, as they would in production: what is
        // measured is the registry's answer to the flood, not the test host flooding itself.
        var settings = RegistryProcess.Settings(registry.Node.RpcUrl);
        settings["REGISTRY_VERIFY_MIB_PER_MINUTE"] = "4";
        await using var api = RegistryProcess.Start(settings);
        await api.WaitForHealthAsync();
        using var issuer = api.ClientWithKey((await api.CreateAsync<CreatedIssuer>("/issuers", $"Steady Pace College {size}")).ApiKey);
        var bodyFile = Path.Combine(TempFolder.Create(), "large.json");
        await File.WriteAllTextAsync(bodyFile, await Padded(registry.CopyOfPortable(), size).ReadAsStringAsync());
        for (var i = 0; i < 20; i++) await IssueOneAsync(issuer); // warm

        // The flood's first body fits the client's budget for the minute and is verified (a second or more of one
        // core; VerifyLimits lets half the cores do that), or read and dropped when it is over the route's limit;
        // every later one is refused unread, which is what is measured.
        using (var first = new HttpClient { BaseAddress = api.Url, Timeout = TimeSpan.FromSeconds(100) })
            Assert.Equal(size <= BodyLimits.Verify ? HttpStatusCode.OK : HttpStatusCode.RequestEntityTooLarge,
                (await first.PostAsync("/verify", new StreamContent(File.OpenRead(bodyFile)) { Headers = { { "Content-Type", "application/json" } } })).StatusCode);

        // Quiet and flooded spells alternate, so that whatever else the machine runs weighs on both alike.
        var (idle, flooded, answers) = (new List<double>(), new List<double>(), new Dictionary<string, int>());
        for (var round = 0; round < 5; round++)
        {
            idle.AddRange(await IssueForAsync(issuer, TimeSpan.FromSeconds(1.5)));
            await using var flood = ChildProcess.Start(FloodStartInfo(
                [Path.Combine(RepositoryRoot.Path, "tests", "load", "flood-verify.js"), new Uri(api.Url, "/verify").ToString(), bodyFile, "3", FloodRate.ToString()]),
                "the flood of /verify");
            await flood.WaitUntilReadyAsync(() => Task.FromResult(flood.Output.Contains("flooding") ? flood : null), TimeSpan.FromSeconds(30));
            flooded.AddRange(await IssueForAsync(issuer, TimeSpan.FromSeconds(1.5)));
            Assert.Equal(0, await flood.StopAsync());
            foreach (var (answer, count) in JsonNode.Parse(flood.Output.Split('\n')[^1])!.AsObject())
                answers[answer] = answers.GetValueOrDefault(answer) + count!.GetValue<int>();
        }

        var (idleMedian, floodedMedian) = (Median(idle), Median(flooded));
        var figures = $"issuance took {floodedMedian:F1} ms at the median during the flood ({flooded.Count} credentials), {idleMedian:F1} ms without "
            + $"({idle.Count}); the flood: {string.Join(", ", answers.Select(a => $"{a.Key} {a.Value}"))}";
        output.WriteLine(figures);
        // Every body of the flood was refused (its client may see the connection closed while it still writes), and
        // it ran at least at half its rate.
        var refusal = size <= BodyLimits.Verify ? "429" : "413";
        Assert.True(answers.Keys.All(answer => answer == refusal || answer is "sent" or "EPIPE" or "ECONNRESET") && answers.GetValueOrDefault(refusal) > 0, figures);
        Assert.True(answers["sent"] >= 5 * 1.5 * FloodRate / 2, figures);
        Assert.True(floodedMedian <= 2 * idleMedian, figures);
    }

    /// <summary>
    /// The flooder stands for a client on another machine. Where this one has more than one core, it runs held to the
    /// last core the test may use (<c>taskset</c>), so that the flooder's own work of writing 200 MiB a second cannot
    /// take the cores the registry issues on: what is measured is what the registry spends on the flood.
    /// </summary>
    private static ProcessStartInfo FloodStartInfo(string[] arguments)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/taskset")) return ProgramRunner.StartInfo("node", arguments);
        var cores = (long)Process.GetCurrentProcess().ProcessorAffinity;
        var last = 63 - long.LeadingZeroCount(cores);
        return long.PopCount(cores) > 1
            ? ProgramRunner.StartInfo("/usr/bin/taskset", ["-c", last.ToString(), "node", .. arguments])
            : ProgramRunner.StartInfo("node", arguments);
    }

    [Fact]
    public async Task Large_verifications_beyond_those_that_may_wait_are_503_unread()
    {
        // Through a trusted proxy, each request is a client of its own with a budget of its own.
        await using var app = new RegistryApp(registry.Node.RpcUrl, settings: new Dictionary<string, string>
        {
            ["REGISTRY_URLS"] = "http://127.0.0.1:0", ["REGISTRY_TRUSTED_PROXIES"] = "127.0.0.1",
        });
        app.UseKestrel();
        var body = await Padded(registry.CopyOfPortable(), (4 << 20) - 4096).ReadAsByteArrayAsync();
        var clients = VerifyLimits.LargeAtOnce + VerifyLimits.LargeQueued + 3;
        var statuses = await Task.WhenAll(Enumerable.Range(1, clients).Select(async client =>
        {
            // The client sends its body only when the registry asks for it: a refused one reads its answer instead of a closed connection.
            using var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(100) })
            {
                BaseAddress = app.CreateClient().BaseAddress, Timeout = TimeSpan.FromSeconds(100),
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/verify") { Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } } };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{client}");
            request.Headers.ExpectContinue = true;
            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                var problem = await Api.ProblemTests.ExpectProblemAsync(response, HttpStatusCode.ServiceUnavailable);
                Assert.Contains("try again", problem["detail"]!.GetValue<string>());
                Assert.NotNull(response.Headers.RetryAfter);
            }
            return response.StatusCode;
        }));
        Assert.All(statuses, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.InRange(statuses.Count(status => status == HttpStatusCode.OK), VerifyLimits.LargeAtOnce, clients - 1);
        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
    }

    [Fact]
    public async Task Forwarded_addresses_count_only_from_a_configured_proxy()
    {
        // The test's connections come from 127.0.0.1: a proxy when it is configured, a client otherwise.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK],
            await VerifyFromTwoForwardedClientsAsync("127.0.0.1"));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            await VerifyFromTwoForwardedClientsAsync("10.20.30.0/24"));
    }

    [Theory]
    [InlineData("REGISTRY_TRUSTED_PROXIES", "10.0.0.0/33")]
    [InlineData("REGISTRY_TRUSTED_PROXIES", "proxy.example")]
    [InlineData("REGISTRY_VERIFY_MIB_PER_MINUTE", "2")]
    public void A_bad_setting_is_named(string name, string value)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { [name] = value });
        Assert.Contains(RegistrySettings.Judge(configuration), problem => problem.StartsWith(name, StringComparison.Ordinal));
    }

    /// <summary>Client A verifies three times, then client B once, both through "the proxy", with a limit of two a minute.</summary>
    private async Task<HttpStatusCode[]> VerifyFromTwoForwardedClientsAsync(string trustedProxies)
    {
        await using var app = new RegistryApp(registry.Node.RpcUrl, settings: new Dictionary<string, string>
        {
            ["REGISTRY_URLS"] = "http://127.0.0.1:0", ["REGISTRY_VERIFY_RATE_LIMIT"] = "2", ["REGISTRY_TRUSTED_PROXIES"] = trustedProxies,
        });
        app.UseKestrel();
        var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        foreach (var forwardedFor in new[] { "203.0.113.1", "203.0.113.1", "203.0.113.1", "203.0.113.2" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/verify") { Content = JsonContent.Create(registry.CopyOfPortable()) };
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }
        return [.. statuses];
    }

    /// <summary>Issues one credential after another for <paramref name="spell"/>; returns how long each took, in milliseconds.</summary>
    private static async Task<List<double>> IssueForAsync(HttpClient issuer, TimeSpan spell)
    {
        var times = new List<double>();
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < spell;) times.Add(await IssueOneAsync(issuer));
        return times;
    }

    private static async Task<double> IssueOneAsync(HttpClient issuer)
    {
        var watch = Stopwatch.StartNew();
        var response = await issuer.PostAsJsonAsync("/credentials", Samples.Badge());
        watch.Stop();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The portable credential with a padding field that brings it to about <paramref name="size"/> bytes: all of it hashed by verification.</summary>
    private static StringContent Padded(JsonObject portable, int size)
    {
        portable["credentialSubject"]!["padding"] = new string('x', size - portable.ToJsonString().Length - 20);
        return new StringContent(portable.ToJsonString(), Encoding.UTF8, "application/json");
    }
}
