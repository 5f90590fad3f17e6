using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Registry.Tests.Storage;

/// <summary>
/// Two registry processes on one PostgreSQL database: an API key created through one is accepted by the
/// other as soon as the creating request has returned, however recently the other last looked for a key
/// it did not know; a key nobody was given is refused by both, also while many of them arrive at once.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class KeysAcrossInstancesTests(LocalAnvilNode node, ITestOutputHelper output)
{
    private const int Rounds = 5;
    private const string Refusal = "not one this registry issued";

    [Fact]
    public async Task An_issuer_created_through_one_instance_issues_through_the_other_at_once_every_time()
    {
        await using var instances = await TwoInstances.StartAsync(node.RpcUrl);
        for (var round = 0; round < Rounds; round++)
        {
            // A client's wrong key has just made the other instance look for a key it did not know.
            await AssertRefusedAsync(instances.B, UnknownKey());
            var issuer = await instances.A.CreateAsync<CreatedIssuer>("/issuers", $"Instant College {round}");
            using var client = instances.B.ClientWithKey(issuer.ApiKey);
            var response = await client.PostAsJsonAsync("/credentials/bulk", new JsonArray(Samples.Badge($"did:example:instant-{round}")));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted,
                $"Round {round}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task An_auditor_created_through_one_instance_reads_through_the_other_at_once_every_time()
    {
        await using var instances = await TwoInstances.StartAsync(node.RpcUrl);
        var issuer = await instances.A.CreateAsync<CreatedIssuer>("/issuers", "Audited College");
        using var issuing = instances.A.ClientWithKey(issuer.ApiKey);
        var issued = await issuing.PostAsJsonAsync("/credentials/bulk", new JsonArray(Samples.Badge("did:example:audited")));
        Assert.Equal(HttpStatusCode.Accepted, issued.StatusCode);
        var id = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["items"]![0]!["id"]!.GetValue<string>();
        for (var round = 0; round < Rounds; round++)
        {
            await AssertRefusedAsync(instances.B, UnknownKey());
            var auditor = await instances.A.CreateAsync<CreatedAuditor>("/auditors", $"Council {round}");
            // Another issuer's credential: only an auditor (not an issuer) reads it.
            using var client = instances.B.ClientWithKey(auditor.ApiKey);
            var response = await client.GetAsync($"/credentials/{id}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Round {round}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("pending", (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_key_nobody_was_given_is_refused_by_both_instances_also_in_a_flood_that_does_not_hold_up_a_new_key()
    {
        await using var instances = await TwoInstances.StartAsync(node.RpcUrl);
        foreach (var instance in new[] { instances.A, instances.B })
        {
            await AssertRefusedAsync(instance, UnknownKey());
            await AssertRefusedAsync(instance, "rk_not_a_key");
        }

        // Clients sending keys nobody was given, each a new one, to the second instance without pause.
        using var stop = new CancellationTokenSource();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        var clock = Stopwatch.StartNew();
        var flood = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var http = new HttpClient { BaseAddress = instances.B.Url, Timeout = TimeSpan.FromSeconds(30) };
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/batches");
                request.Headers.Authorization = new("Bearer", UnknownKey());
                using var response = await http.SendAsync(request);
                statuses.Add(response.StatusCode);
            }
        })).ToList();

        var issuer = await instances.A.CreateAsync<CreatedIssuer>("/issuers", "Flooded College");
        using var client = instances.B.ClientWithKey(issuer.ApiKey);
        var accepted = await client.PostAsJsonAsync("/credentials/bulk", new JsonArray(Samples.Badge("did:example:flooded")));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await Task.WhenAll(flood);
        output.WriteLine($"{statuses.Count} unknown keys refused in {clock.Elapsed.TotalSeconds:0.0} s ({statuses.Count / clock.Elapsed.TotalSeconds:N0}/s).");

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.True(statuses.Count > 100, $"{statuses.Count} requests in the flood");
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
    }

    /// <summary>A key of the form the registry gives, that nobody was given.</summary>
    private static string UnknownKey() => Registry.Api.Security.ApiKeyDirectory.NewKey();

    private static async Task AssertRefusedAsync(RegistryProcess instance, string key)
    {
        using var client = instance.ClientWithKey(key);
        var response = await client.GetAsync("/batches");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(Refusal, await response.Content.ReadAsStringAsync());
    }

    private sealed record CreatedAuditor(string Id, string ApiKey);
}
