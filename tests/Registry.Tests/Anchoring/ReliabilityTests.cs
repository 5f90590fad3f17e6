using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Api.Storage;
using Registry.Tests.Api;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Anchoring;

/// <summary>The reliability rules: nothing accepted is lost, unfinished batches resume, nothing anchors twice.</summary>
[Collection(NodeCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class ReliabilityTests(LocalAnvilNode node)
{
    [Fact]
    public async Task Issuance_goes_on_while_the_chain_is_down_and_anchoring_resumes_after_a_restart()
    {
        var dataDir = TempFolder.Create();
        CreatedIssuer issuer;
        await using (var up = new RegistryApp(node.RpcUrl, dataDir))
            issuer = await up.CreateIssuerAsync("Resilient Academy");

        // The same registry restarted against a chain that does not answer.
        string credentialId, batchId;
        var deadRpc = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        await using (var down = new RegistryApp(deadRpc, dataDir))
        {
            var client = down.ClientWithKey(issuer.ApiKey);
            var health = await down.CreateClient().GetFromJsonAsync<JsonObject>("/health");
            Assert.Equal("degraded", health!["status"]!.GetValue<string>());

            var accepted = await client.PostAsJsonAsync("/credentials", Samples.Badge("did:example:offline"));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            credentialId = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            var sealedBatch = await client.PostAsync("/batches", null);
            Assert.Equal(HttpStatusCode.Accepted, sealedBatch.StatusCode);
            batchId = (await sealedBatch.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            await Task.Delay(500);
            var batch = await client.GetFromJsonAsync<JsonObject>($"/batches/{batchId}");
            Assert.Equal("sealed", batch!["status"]!.GetValue<string>());
            Assert.Equal("batched", (await client.GetFromJsonAsync<JsonObject>($"/credentials/{credentialId}"))!["status"]!.GetValue<string>());
        }

        // Back on the real chain: the stored batch is sent and anchored, and its credential verifies.
        await using var back = new RegistryApp(node.RpcUrl, dataDir);
        var issuerClient = back.ClientWithKey(issuer.ApiKey);
        await RegistryApp.WaitForBatchAsync(issuerClient, batchId, "anchored");
        var portable = await issuerClient.GetFromJsonAsync<JsonObject>($"/credentials/{credentialId}/credential.json");
        var verdict = await (await back.CreateClient().PostAsJsonAsync("/verify", portable)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(verdict!["verified"]!.GetValue<bool>(), verdict.ToJsonString());
    }

    [Fact]
    public async Task A_batch_sent_before_a_crash_is_recognised_on_chain_and_not_anchored_twice()
    {
        var dataDir = TempFolder.Create();
        CreatedIssuer issuer;
        string batchId, transactionHash;
        await using (var first = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Crash Test Institute", dataDir))
        {
            issuer = first.Issuer;
            var client = first.Client;
            var ids = await first.App.IssueAndAnchorAsync(client, Samples.Plain(), Samples.Badge());
            batchId = (await client.GetFromJsonAsync<JsonObject>($"/credentials/{ids[0]}"))!["batchId"]!.GetValue<string>();
            transactionHash = (await client.GetFromJsonAsync<JsonObject>($"/batches/{batchId}"))!["transactionHash"]!.GetValue<string>();
        }

        // What a crash right after sending leaves behind: the batch is stored, its transaction hash is not.
        using (var storage = TestStore.Open(dataDir))
        {
            var batch = storage.Batches.Find(batchId)!;
            batch.State = BatchStates.Sealed;
            batch.TransactionHash = null;
            batch.BlockNumber = null;
            batch.AnchoredAt = null;
            batch.GasUsed = null;
            storage.Batches.Update(batch);
        }

        await using var restarted = new RegistryApp(node.RpcUrl, dataDir);
        var resumed = await RegistryApp.WaitForBatchAsync(restarted.ClientWithKey(issuer.ApiKey), batchId, "anchored");
        Assert.Equal(transactionHash, resumed["transactionHash"]!.GetValue<string>());
        Assert.Equal(2, resumed["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Proofs_wait_for_the_configured_confirmations()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Patient University", settings: new Dictionary<string, string> { ["REGISTRY_CONFIRMATIONS"] = "3" });
        var (app, issuer, client) = started;
        var accepted = await client.PostAsJsonAsync("/credentials", Samples.Plain());
        var id = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var batchId = (await (await client.PostAsync("/batches", null)).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        // The registry has seen its transaction mined, with none of the three confirmations yet: it waits.
        var mined = await Eventually.GetAsync(async () => (await client.GetFromJsonAsync<JsonObject>($"/batches/{batchId}"))!,
            batch => batch["blockNumber"] is not null, "the registry to see its transaction mined");
        Assert.Equal("submitted", mined["status"]!.GetValue<string>());
        Assert.Equal(0, mined["confirmations"]!.GetValue<int>());
        Assert.Equal(3, mined["confirmationsRequired"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Conflict, (await client.GetAsync($"/credentials/{id}/credential.json")).StatusCode);

        await node.RpcAsync("hardhat_mine", "0x3");
        await RegistryApp.WaitForBatchAsync(client, batchId, "anchored");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/credentials/{id}/credential.json")).StatusCode);
    }

    [Fact]
    public async Task Batches_seal_by_size_and_by_delay_without_being_asked()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Automatic College", settings: new Dictionary<string, string>
        {
            ["REGISTRY_MAX_BATCH_SIZE"] = "3",
            ["REGISTRY_MAX_DELAY_SECONDS"] = "2",
        });
        var (app, issuer, client) = started;

        // Seven credentials: two full batches of three at once, and one more after the delay.
        var response = await client.PostAsJsonAsync("/credentials/bulk", new JsonArray(Enumerable.Range(0, 7).Select(i => (JsonNode)Samples.Badge($"did:example:learner-{i}")).ToArray()));
        var ids = (await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();

        var batches = await Eventually.GetAsync(async () => (await client.GetFromJsonAsync<JsonArray>("/batches"))!,
            batches => batches.Count >= 3 && batches.All(b => b!["status"]!.GetValue<string>() == "anchored"), "three anchored batches");

        Assert.Equal([1, 3, 3], batches.Select(b => b!["count"]!.GetValue<int>()).Order());
        Assert.All(batches, b => Assert.Equal("anchored", b!["status"]!.GetValue<string>()));
        Assert.All(batches, b => Assert.InRange(b!["gasUsed"]!.GetValue<long>(), 21_000, 50_000));
        foreach (var id in ids)
            Assert.Equal("anchored", (await client.GetFromJsonAsync<JsonObject>($"/credentials/{id}"))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reset_local_chain_gets_a_new_contract_with_the_known_issuers_admitted_again()
    {
        var dataDir = TempFolder.Create();
        CreatedIssuer issuer;
        string oldContract;
        await using (var first = new RegistryApp(node.RpcUrl, dataDir))
        {
            issuer = await first.CreateIssuerAsync("Phoenix Polytechnic");
            oldContract = (await first.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!["registry"]!.GetValue<string>();
        }

        // The remembered contract no longer exists, as after a restart of the local node.
        using (var storage = TestStore.Open(dataDir))
            storage.Settings.Set(("contract", "0x" + new string('7', 40)));

        await using var second = new RegistryApp(node.RpcUrl, dataDir);
        var health = (await second.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!;
        Assert.Equal("ok", health["status"]!.GetValue<string>());
        Assert.NotEqual(oldContract, health["registry"]!.GetValue<string>());
        var client = second.ClientWithKey(issuer.ApiKey);
        var ids = await second.IssueAndAnchorAsync(client, Samples.Badge("did:example:reborn"));
        var verdict = await second.VerifyAsync(await client.PortableAsync(ids[0]));
        Assert.True(verdict["verified"]!.GetValue<bool>(), verdict.ToJsonString());
    }

    [Fact]
    public async Task When_the_node_goes_away_issuance_still_answers_and_chain_work_says_503()
    {
        var ownNode = new LocalAnvilNode();
        await ownNode.InitializeAsync();
        await using var app = new RegistryApp(ownNode.RpcUrl, settings: new Dictionary<string, string> { ["REGISTRY_MAX_STALENESS_SECONDS"] = "2" });
        CreatedIssuer issuer;
        IReadOnlyList<string> ids;
        HttpClient client;
        JsonObject portable;
        try
        {
            (issuer, client) = await app.AddIssuerAsync("Fragile Node College");
            ids = await app.IssueAndAnchorAsync(client, Samples.Plain());
            portable = await client.PortableAsync(ids[0]);
        }
        finally
        {
            await ownNode.DisposeAsync();
        }

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/credentials", Samples.Badge())).StatusCode);
        var degraded = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!;
        Assert.Equal("degraded", degraded["status"]!.GetValue<string>());
        Assert.True(degraded.ContainsKey("blockNumber"));
        Assert.Contains("cannot be reached", degraded["problem"]!.GetValue<string>());
        await ProblemTests.ExpectProblemAsync(await app.Admin().PostAsJsonAsync("/issuers", new { name = "Too Late" }), HttpStatusCode.ServiceUnavailable);
        await ProblemTests.ExpectProblemAsync(
            await client.PostAsJsonAsync($"/credentials/{ids[0]}/revoke", new { reason = "node is down" }), HttpStatusCode.ServiceUnavailable);
        // Once the chain index is older than REGISTRY_MAX_STALENESS_SECONDS and the node cannot be asked,
        // the anchor the index saw still stands, but the revocation status cannot be confirmed: never verified,
        // and no verdict either: the revocation check could not be completed.
        app.Clock.Advance(TimeSpan.FromSeconds(3));
        var verdict = await app.VerifyAsync(portable);
        var notChecked = verdict.CouldNotCheck();
        Assert.Equal("revocation", notChecked["name"]!.GetValue<string>());
        Assert.Equal("node-unreachable", notChecked["reason"]!.GetValue<string>());
        Assert.StartsWith("The revocation status could not be confirmed", notChecked["message"]!.GetValue<string>());
        Assert.NotNull(verdict["asOf"]!["blockNumber"]);
        // The portable credential is still served from the store.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/credentials/{ids[0]}/credential.json")).StatusCode);
    }

    [Fact]
    public async Task Concurrent_issuance_while_batches_seal_puts_every_credential_in_exactly_one_anchored_batch()
    {
        await using var app = new RegistryApp(node.RpcUrl, settings: new Dictionary<string, string>
        {
            ["REGISTRY_MAX_BATCH_SIZE"] = "125",
            ["REGISTRY_MAX_DELAY_SECONDS"] = "1",
        });
        var issuers = new[] { await app.CreateIssuerAsync("Parallel One"), await app.CreateIssuerAsync("Parallel Two") };

        // Eight clients, two issuers, single and bulk requests at once, while the sealer runs: 488 credentials an
        // issuer, so about four batches each filled to the size while requests still arrive, and one more by delay.
        var issued = await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            var client = app.ClientWithKey(issuers[worker % 2].ApiKey);
            var ids = new List<string>();
            for (var round = 0; round < 4; round++)
            {
                if (round % 2 == 0)
                {
                    var bulk = new JsonArray(Enumerable.Range(0, 60).Select(i => (JsonNode)Samples.Badge($"did:example:w{worker}-r{round}-{i}")).ToArray());
                    var response = await client.PostAsJsonAsync("/credentials/bulk", bulk);
                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    ids.AddRange((await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
                }
                else
                {
                    var response = await client.PostAsJsonAsync("/credentials", Samples.Plain());
                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    ids.Add((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
                }
            }
            return (Issuer: issuers[worker % 2], Ids: ids);
        }));

        foreach (var issuer in issuers)
        {
            var client = app.ClientWithKey(issuer.ApiKey);
            var mine = issued.Where(w => w.Issuer == issuer).SelectMany(w => w.Ids).ToList();
            var batches = await Eventually.GetAsync(async () => (await client.GetFromJsonAsync<JsonArray>("/batches?limit=1000"))!,
                batches => batches.Sum(b => b!["count"]!.GetValue<int>()) >= mine.Count && batches.All(b => b!["status"]!.GetValue<string>() == "anchored"),
                $"every credential of {issuer.Id} in an anchored batch", TimeSpan.FromSeconds(60));

            Assert.Equal(mine.Count, batches.Sum(b => b!["count"]!.GetValue<int>()));
            Assert.All(batches, b => Assert.InRange(b!["count"]!.GetValue<int>(), 1, 125));
            Assert.All(batches, b => Assert.Equal("anchored", b!["status"]!.GetValue<string>()));
            var batchOf = new Dictionary<string, string>();
            foreach (var id in mine)
            {
                var status = (await client.GetFromJsonAsync<JsonObject>($"/credentials/{id}"))!;
                Assert.Equal("anchored", status["status"]!.GetValue<string>());
                batchOf[id] = status["batchId"]!.GetValue<string>();
            }
            // Each batch holds exactly the credentials that name it.
            foreach (var batch in batches)
                Assert.Equal(batch!["count"]!.GetValue<int>(), batchOf.Values.Count(b => b == batch["id"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Pending_credentials_found_at_start_are_sealed_by_delay()
    {
        var dataDir = TempFolder.Create();
        CreatedIssuer issuer;
        List<string> ids;
        await using (var first = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Patient Polytechnic", dataDir))
        {
            issuer = first.Issuer;
            var response = await first.Client.PostAsJsonAsync("/credentials/bulk", new JsonArray(Samples.Plain(), Samples.Badge()));
            ids = (await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
        }

        // Restarted with a short delay: the credentials waiting in the store are sealed without being asked.
        await using var second = new RegistryApp(node.RpcUrl, dataDir, new Dictionary<string, string> { ["REGISTRY_MAX_DELAY_SECONDS"] = "1" });
        var client = second.ClientWithKey(issuer.ApiKey);
        await Eventually.GetAsync(async () => (await client.GetFromJsonAsync<JsonObject>($"/credentials/{ids[1]}"))!,
            status => status["status"]!.GetValue<string>() == "anchored", "the pending credentials to be sealed and anchored");
        foreach (var id in ids)
            Assert.True((await second.VerifyAsync(await client.PortableAsync(id)))["verified"]!.GetValue<bool>());
    }
}
