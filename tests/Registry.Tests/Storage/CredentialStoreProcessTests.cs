using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Storage;

/// <summary>
/// The credential store under a real registry process: a 202 means on disk (or committed, on PostgreSQL),
/// so a registry killed with SIGKILL in the middle of bulk issuance still has every credential it
/// acknowledged, on each store; and a damaged log stops it at start with a message instead of losing records.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class CredentialStoreProcessTests(SharedRegistry registry)
{
    [Fact]
    [Trait(TestStore.Trait, TestStore.Each)]
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

            // Two clients send 500 badges a request without pause; the process is killed once three requests have
            // answered, while both still send (every acknowledged credential is read back twice below).
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
            await Eventually.TrueAsync(() => { lock (acknowledged) return acknowledged.Count >= 1_500; },
                "1,500 acknowledged credentials", TimeSpan.FromSeconds(120));
            await first.KillAsync();
            stop.Cancel();
            await Task.WhenAll(senders);
        }

        await using var second = RegistryProcess.Start(settings);
        await second.WaitForHealthAsync();
        using var reader = Client(second.Url, issuer.ApiKey);
        List<(string Id, string Digest)> expected;
        lock (acknowledged) expected = [.. acknowledged];
        Assert.True(expected.Count >= 1_500);
        foreach (var (id, digest) in expected)
        {
            var status = await reader.GetFromJsonAsync<JsonObject>($"/credentials/{id}");
            Assert.Equal(digest, status!["digest"]!.GetValue<string>());
        }

        // No status index was given twice: not to two acknowledged credentials, nor again after the restart.
        var more = await reader.PostAsJsonAsync("/credentials/bulk",
            new JsonArray(Enumerable.Range(0, 500).Select(i => (JsonNode)Samples.Badge($"did:example:after-{i}")).ToArray()));
        Assert.Equal(HttpStatusCode.Accepted, more.StatusCode);
        var ids = expected.Select(e => e.Id).Concat((await more.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())).ToList();
        var sealedBatch = await reader.PostAsync("/batches", null);
        await RegistryApp.WaitForBatchAsync(reader, (await sealedBatch.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>(), "anchored", 120);
        var indexes = new List<long>();
        foreach (var id in ids)
            indexes.Add(long.Parse((await reader.GetFromJsonAsync<JsonObject>($"/credentials/{id}/credential.json"))!["credentialStatus"]![0]!["statusListIndex"]!.GetValue<string>()));
        Assert.Equal(ids.Count, indexes.Distinct().Count());
    }

    internal static HttpClient Client(Uri url, string key)
    {
        var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Fact]
    public async Task A_damaged_credential_log_stops_the_registry_at_start_and_says_so()
    {
        var dataDir = TempFolder.Create();
        var settings = RegistryProcess.Settings(registry.Node.RpcUrl, dataDir);
        await using (var first = RegistryProcess.Start(settings))
        {
            await first.WaitForHealthAsync();
            using var admin = Client(first.Url, RegistryApp.AdminKey);
            var issuer = (await (await admin.PostAsJsonAsync("/issuers", new { name = "Damaged Disk College" })).Content.ReadFromJsonAsync<CreatedIssuer>(Infrastructure.Json.Web))!;
            using var client = Client(first.Url, issuer.ApiKey);
            for (var i = 0; i < 2; i++)
                Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/credentials", Samples.Badge($"did:example:disk-{i}"))).StatusCode);
        }
        var log = Path.Combine(dataDir, Registry.Api.Storage.CredentialStore.CredentialsFileName);
        var bytes = await File.ReadAllBytesAsync(log);
        bytes[Registry.Api.Storage.AppendLog.HeaderSize + Registry.Api.Storage.AppendLog.FrameSize + 40] ^= 1;
        await File.WriteAllBytesAsync(log, bytes);

        var (exitCode, output) = await RegistryProcess.RunToExitAsync(settings);
        Assert.Equal(1, exitCode);
        Assert.Contains($"{log} is damaged at offset {Registry.Api.Storage.AppendLog.HeaderSize}", output);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(log));
    }
}
