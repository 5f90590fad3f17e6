using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Registry.Credentials;
using Registry.Signatures;
using Registry.StatusLists;
using Registry.Tests.Api;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Revocation;

/// <summary>
/// Every credential of an issuer gets the issuer's next status index, in its status list entry, and the
/// registry serves the issuer's lists: on a real node, through real HTTP, across restarts.
/// </summary>
[Collection(NodeCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class StatusListTests(LocalAnvilNode node)
{
    private const string PublicUrl = "https://wallets.example.org/registry";

    private static Dictionary<string, string> PublicUrlSetting => new() { ["REGISTRY_PUBLIC_URL"] = PublicUrl };

    private RegistryApp NewApp(string? dataDir = null) => new(node.RpcUrl, dataDir, PublicUrlSetting);

    [Fact]
    public async Task Status_indexes_are_consecutive_across_single_bulk_refused_requests_and_a_restart()
    {
        var dataDir = TempFolder.Create();
        var ids = new List<string>();
        CreatedIssuer issuer;
        await using (var started = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Counting College", dataDir, PublicUrlSetting))
        {
            issuer = started.Issuer;
            var client = started.Client;
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

    [Fact]
    public async Task The_list_is_signed_by_the_issuer_and_a_bit_is_set_once_its_revocation_is_confirmed()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Listing Polytechnic",
            settings: new Dictionary<string, string> { ["REGISTRY_PUBLIC_URL"] = PublicUrl, ["REGISTRY_CONFIRMATIONS"] = "2" });
        var (app, issuer, client) = started;
        var anyone = app.ClientWithKey(null);
        var (ids, batchId) = await client.IssueAndSealAsync(Samples.Badge("did:example:a"), Samples.Badge("did:example:b"), Samples.Badge("did:example:c"));
        await Eventually.GetAsync(async () => (await client.GetFromJsonAsync<JsonObject>($"/batches/{batchId}"))!,
            batch => batch["blockNumber"] is not null, "the anchoring transaction to be mined");
        await node.RpcAsync("hardhat_mine", "0x2");
        await RegistryApp.WaitForBatchAsync(client, batchId, "anchored");
        var positions = new List<int>();
        foreach (var id in ids)
        {
            var entry = (await client.PortableAsync(id))["credentialStatus"]![0]!;
            Assert.Equal($"{PublicUrl}/status/{issuer.Id}/0", entry["statusListCredential"]!.GetValue<string>());
            positions.Add(int.Parse(entry["statusListIndex"]!.GetValue<string>()));
        }

        var (before, cacheControl) = await ListAsync(anyone, issuer, 0);
        Assert.Equal("public, max-age=60", cacheControl);
        Assert.Equal($"{PublicUrl}/status/{issuer.Id}/0", before["id"]!.GetValue<string>());
        Assert.Equal(["VerifiableCredential", "BitstringStatusListCredential"], before["type"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(issuer.DidKey, before["issuer"]!.GetValue<string>());
        Assert.Equal("revocation", before["credentialSubject"]!["statusPurpose"]!.GetValue<string>());
        Assert.Empty(SetBits(before));

        var revoked = await client.PostAsJsonAsync($"/credentials/{ids[1]}/revoke", new { reason = "Awarded in error" });
        Assert.Equal(HttpStatusCode.Accepted, revoked.StatusCode);
        // Mined, not yet confirmed: the chain index has the revocation, the list does not.
        await Eventually.GetAsync(async () => (await client.GetFromJsonAsync<JsonObject>($"/credentials/{ids[1]}"))!,
            status => status["status"]!.GetValue<string>() == "revoking", "the revocation to be mined");
        Assert.Empty(SetBits((await ListAsync(anyone, issuer, 0)).List));

        await node.RpcAsync("hardhat_mine", "0x2");
        var after = await Eventually.GetAsync(async () => (await ListAsync(anyone, issuer, 0)).List, list => SetBits(list).Count > 0,
            "the confirmed revocation to set its bit");
        Assert.Equal([positions[1]], SetBits(after));
        Assert.NotEqual(before["proof"]!["proofValue"]!.GetValue<string>(), after["proof"]!["proofValue"]!.GetValue<string>());

        // A standard library reads the same: @digitalbazaar/vc-bitstring-status-list finds each credential's entry and its bit.
        var folder = TempFolder.Create();
        await File.WriteAllTextAsync(Path.Combine(folder, "list.json"), after.ToJsonString());
        var files = new List<string>();
        foreach (var id in ids)
        {
            files.Add(Path.Combine(folder, $"{id}.json"));
            await File.WriteAllTextAsync(files[^1], (await client.PortableAsync(id)).ToJsonString());
        }
        var (exitCode, output) = await ProgramRunner.RunAsync("node",
            [Path.Combine(RepositoryRoot.Path, "tests", "interop", "status-list.mjs"), Path.Combine(folder, "list.json"), .. files]);
        Assert.True(exitCode == 0, output);
        var read = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        Assert.True(read["canonicalised"]!.GetValue<bool>());
        Assert.Equal(StatusListEntry.ListSize, read["length"]!.GetValue<int>());
        Assert.Equal([positions[1]], read["set"]!.AsArray().Select(p => p!.GetValue<int>()));
        var byLibrary = read["credentials"]!.AsArray();
        Assert.All(byLibrary, c => Assert.True(c!["verified"]!.GetValue<bool>(), c.ToJsonString()));
        Assert.Equal([false, true, false], byLibrary.Select(c => c!["status"]!.GetValue<bool>()));
        var credentialIssuer = (await client.PortableAsync(ids[0]))["issuer"]!["id"]!.GetValue<string>();
        Assert.All(byLibrary, c => Assert.Equal(credentialIssuer == after["issuer"]!.GetValue<string>(), c!["issuersMatch"]!.GetValue<bool>()));

        // Beyond the lists the issuer's credentials use, an unknown issuer, a list not written as the registry writes it: 404.
        await ProblemTests.ExpectProblemAsync(await anyone.GetAsync($"/status/{issuer.Id}/1"), HttpStatusCode.NotFound);
        await ProblemTests.ExpectProblemAsync(await anyone.GetAsync($"/status/{issuer.Id}/00"), HttpStatusCode.NotFound);
        await ProblemTests.ExpectProblemAsync(await anyone.GetAsync($"/status/{issuer.Id}/-1"), HttpStatusCode.NotFound);
        await ProblemTests.ExpectProblemAsync(await anyone.GetAsync($"/status/{Guid.NewGuid()}/0"), HttpStatusCode.NotFound);
        await ProblemTests.ExpectProblemAsync(await anyone.GetAsync("/status/not-an-issuer/0"), HttpStatusCode.NotFound);

        // A removed issuer's lists are still served: its credentials are still in wallets.
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().PostAsync($"/issuers/{issuer.Id}/remove", null)).StatusCode);
        Assert.Equal([positions[1]], SetBits((await ListAsync(anyone, issuer, 0)).List));
    }

    [Fact]
    public async Task The_credential_after_a_full_list_opens_the_next_one()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Crowded Academy", settings: PublicUrlSetting);
        var (app, issuer, client) = started;
        var anyone = app.ClientWithKey(null);
        var first = await IssueOneAsync(client, "did:example:first");
        await ProblemTests.ExpectProblemAsync(await anyone.GetAsync($"/status/{issuer.Id}/1"), HttpStatusCode.NotFound);
        // The rest of the first list, taken as issuance takes it (issuing 131,071 credentials through HTTP would only take longer).
        var store = app.Services.GetRequiredService<Registry.Api.Storage.ICredentialStore>();
        Assert.Equal(1, store.ReserveStatusIndexes(issuer.Id, StatusListEntry.ListSize - 1));

        var next = await IssueOneAsync(client, "did:example:next");
        var (ids, batchId) = await client.IssueAndSealAsync(Samples.Badge("did:example:last"));
        await RegistryApp.WaitForBatchAsync(client, batchId, "anchored");
        Assert.Equal(("0", "0"), await ListAndIndexAsync(first));
        Assert.Equal(("1", "0"), await ListAndIndexAsync(next));
        Assert.Equal(("1", "1"), await ListAndIndexAsync(ids[0]));
        var (list, _) = await ListAsync(anyone, issuer, 1);
        Assert.Equal($"{PublicUrl}/status/{issuer.Id}/1", list["id"]!.GetValue<string>());
        Assert.Empty(SetBits(list));
        await ProblemTests.ExpectProblemAsync(await anyone.GetAsync($"/status/{issuer.Id}/2"), HttpStatusCode.NotFound);

        async Task<(string List, string Index)> ListAndIndexAsync(string id)
        {
            var entry = (await client.PortableAsync(id))["credentialStatus"]![0]!;
            return (entry["statusListCredential"]!.GetValue<string>().Split('/')[^1], entry["statusListIndex"]!.GetValue<string>());
        }
    }

    /// <summary>The list as served, after checking its signature with our verifier and the key of the issuer's did:key.</summary>
    private static async Task<(JsonObject List, string? CacheControl)> ListAsync(HttpClient client, CreatedIssuer issuer, long list)
    {
        var response = await client.GetAsync($"/status/{issuer.Id}/{list}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var credential = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var verification = EddsaRdfc2022.Verify(credential, expectedPublicKey: DidKey.Resolve(issuer.DidKey).PublicKey);
        Assert.True(verification.Verified, verification.Reason);
        return (credential, response.Headers.CacheControl?.ToString());
    }

    /// <summary>The positions whose bit is set in a list's encodedList.</summary>
    private static List<int> SetBits(JsonObject list)
    {
        Assert.True(BitstringStatusList.TryDecode(list["credentialSubject"]!["encodedList"]!.GetValue<string>(), out var bits, out var error), error);
        Assert.Equal(StatusListEntry.ListSize / 8, bits.Length);
        return Enumerable.Range(0, StatusListEntry.ListSize).Where(i => BitstringStatusList.IsSet(bits, i)).ToList();
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
