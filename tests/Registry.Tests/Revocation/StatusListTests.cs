using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Tests.Api;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Revocation;

/// <summary>
/// Every credential of an issuer gets the issuer's next status index, in its status list entry, and the
/// registry serves the issuer's lists: on a real node, through real HTTP, across restarts.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class StatusListTests(SharedRegistry registry)
{
    private const string PublicUrl = "https://wallets.example.org/registry";

    private RegistryApp NewApp(string? dataDir = null, IDictionary<string, string>? settings = null) =>
        new(registry.Node.RpcUrl, dataDir, settings ?? new Dictionary<string, string> { ["REGISTRY_PUBLIC_URL"] = PublicUrl });

    [Fact]
    public async Task Status_indexes_are_consecutive_across_single_bulk_refused_requests_and_a_restart()
    {
        var dataDir = TempFolder.Create();
        var ids = new List<string>();
        CreatedIssuer issuer;
        await using (var app = NewApp(dataDir))
        {
            issuer = await app.CreateIssuerAsync("Counting College");
            var client = app.ClientWithKey(issuer.ApiKey);
            ids.Add(await IssueOneAsync(client, "did:example:one"));
            ids.AddRange(await IssueBulkAsync(client, "did:example:two", "did:example:three", "did:example:four"));
            // A refused request takes no index.
            var bad = Samples.Badge("did:example:bad");
            bad.Remove("credentialSubject");
            await ProblemTests.ExpectValidationAsync(await client.PostAsJsonAsync("/credentials/bulk", new JsonArray(Samples.Badge("did:example:x"), bad)));
            await ProblemTests.ExpectValidationAsync(await client.PostAsJsonAsync("/credentials", bad));
            ids.Add(await IssueOneAsync(client, "did:example:five"));
        }
        await using (var app = NewApp(dataDir))
        {
            var client = app.ClientWithKey(issuer.ApiKey);
            ids.AddRange(await IssueBulkAsync(client, "did:example:six", "did:example:seven"));
            ids.Add(await IssueOneAsync(client, "did:example:eight"));
            var sealedBatch = await client.PostAsync("/batches", null);
            Assert.Equal(HttpStatusCode.Accepted, sealedBatch.StatusCode);
            await RegistryApp.WaitForBatchAsync(client, (await sealedBatch.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>(), "anchored");

            var entries = new List<JsonObject>();
            foreach (var id in ids) entries.Add((await client.PortableAsync(id))["credentialStatus"]![0]!.AsObject());
            Assert.Equal(Enumerable.Range(0, 8).Select(i => i.ToString()), entries.Select(e => e["statusListIndex"]!.GetValue<string>()));
            Assert.All(entries, e => Assert.Equal($"{PublicUrl}/status/{issuer.Id}/0", e["statusListCredential"]!.GetValue<string>()));
        }
    }

    private static async Task<string> IssueOneAsync(HttpClient client, string learner)
    {
        var response = await client.PostAsJsonAsync("/credentials", Samples.Badge(learner));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    private static async Task<IReadOnlyList<string>> IssueBulkAsync(HttpClient client, params string[] learners)
    {
        var response = await client.PostAsJsonAsync("/credentials/bulk", new JsonArray(learners.Select(l => (JsonNode)Samples.Badge(l)).ToArray()));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
    }
}
