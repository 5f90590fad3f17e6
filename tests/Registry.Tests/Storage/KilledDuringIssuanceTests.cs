using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Storage;

/// <summary>A 202 means on disk: the registry killed with SIGKILL in the middle of bulk issuance still has every credential it acknowledged.</summary>
[Collection(RegistryCollection.Name)]
public sealed class KilledDuringIssuanceTests(SharedRegistry registry)
{
    [Fact]
    public async Task Every_acknowledged_credential_survives_a_kill_during_bulk_issuance()
    {
        var dataDir = TempFolder.Create();
        var settings = RegistryProcess.Settings(registry.Node.RpcUrl, dataDir);
        var acknowledged = new List<(string Id, string Digest)>();
        CreatedIssuer issuer;
        await using (var first = RegistryProcess.Start(settings))
        {
            await first.WaitForHealthAsync();
            using var admin = Client(first.Url, RegistryApp.AdminKey);
            var created = await admin.PostAsJsonAsync("/issuers", new { name = "Interrupted Institute" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            issuer = (await created.Content.ReadFromJsonAsync<CreatedIssuer>(Infrastructure.Json.Web))!;

            // Two clients send 500 badges a request without pause; the process is killed once a few have answered.
            using var client = Client(first.Url, issuer.ApiKey);
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 2).Select(worker => Task.Run(async () =>
            {
                for (var round = 0; !stop.IsCancellationRequested; round++)
                {
                    var items = new JsonArray(Enumerable.Range(0, 500).Select(i => (JsonNode)Samples.Badge($"did:example:{worker}-{round}-{i}")).ToArray());
                    JsonObject answer;
                    try
                    {
                        var response = await client.PostAsJsonAsync("/credentials/bulk", items);
                        if (response.StatusCode != HttpStatusCode.Accepted) return;
                        answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or System.Text.Json.JsonException)
                    {
                        return; // the registry is gone: this request was never acknowledged
                    }
                    lock (acknowledged)
                        acknowledged.AddRange(answer["items"]!.AsArray().Select(item => (item!["id"]!.GetValue<string>(), item["digest"]!.GetValue<string>())));
                }
            })).ToList();
            while (true)
            {
                lock (acknowledged) if (acknowledged.Count >= 3_000) break;
                await Task.Delay(10);
            }
            await first.KillAsync();
            stop.Cancel();
            await Task.WhenAll(senders);
        }

        await using var second = RegistryProcess.Start(settings);
        await second.WaitForHealthAsync();
        using var reader = Client(second.Url, issuer.ApiKey);
        List<(string Id, string Digest)> expected;
        lock (acknowledged) expected = [.. acknowledged];
        Assert.True(expected.Count >= 3_000);
        foreach (var (id, digest) in expected)
        {
            var status = await reader.GetFromJsonAsync<JsonObject>($"/credentials/{id}");
            Assert.Equal(digest, status!["digest"]!.GetValue<string>());
        }
    }

    private static HttpClient Client(Uri url, string key)
    {
        var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
