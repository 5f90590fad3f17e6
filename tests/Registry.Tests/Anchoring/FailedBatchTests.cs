using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Api;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Anchoring;

/// <summary>
/// A batch whose every transaction is lost (dropped from the node's pool, for real, each time) is
/// given up: its credentials show <c>failed</c> with the reason, never <c>batched</c> for ever, and
/// the issuer can have them sealed again.
/// </summary>
[Collection(NodeCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class FailedBatchTests
{
    [Fact]
    public async Task Credentials_of_a_batch_that_cannot_anchor_show_failed_and_can_be_sealed_again()
    {
        var node = new LocalAnvilNode();
        await node.InitializeAsync();
        try
        {
            await using var started = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Unlucky Academy");
            var (app, _, client) = started;

            await node.RpcAsync("evm_setAutomine", false);
            var (ids, batchId) = await client.IssueAndSealAsync(Samples.Badge("did:example:patient"));
            await ProblemTests.ExpectProblemAsync(await client.PostAsync($"/batches/{batchId}/reseal", null), HttpStatusCode.Conflict);

            // Drop every transaction the registry sends for the batch until it gives up.
            var batch = await Eventually.GetAsync(async () =>
            {
                var batch = (await client.GetFromJsonAsync<JsonObject>($"/batches/{batchId}"))!;
                if (batch["transactionHash"]?.GetValue<string>() is { } hash
                    && (await node.RpcAsync("eth_getTransactionByHash", hash)).ValueKind != JsonValueKind.Null)
                    await node.RpcAsync("hardhat_dropTransaction", hash);
                return batch;
            }, batch => batch["status"]!.GetValue<string>() == "failed", "the batch to fail", TimeSpan.FromSeconds(60));
            Assert.Contains("Gave up", batch["lastError"]!.GetValue<string>());

            var status = (await client.GetFromJsonAsync<JsonObject>($"/credentials/{ids[0]}"))!;
            Assert.Equal("failed", status["status"]!.GetValue<string>());
            Assert.Contains("Gave up", status["failureReason"]!.GetValue<string>());
            await ProblemTests.ExpectProblemAsync(await client.GetAsync($"/credentials/{ids[0]}/credential.json"), HttpStatusCode.Conflict);

            // Another issuer cannot touch the batch; its own issuer seals the credentials again.
            await node.RpcAsync("evm_setAutomine", true);
            var other = await app.AddIssuerAsync("Nosy Neighbour");
            await ProblemTests.ExpectProblemAsync(await other.Client.PostAsync($"/batches/{batchId}/reseal", null), HttpStatusCode.NotFound);
            var resealed = await client.PostAsync($"/batches/{batchId}/reseal", null);
            Assert.Equal(HttpStatusCode.Accepted, resealed.StatusCode);
            // The same members make the same root, and so the same batch id: the new batch takes the failed one's place.
            var newId = (await resealed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            Assert.Equal(batchId, newId);
            await node.RpcAsync("evm_mine");
            await RegistryApp.WaitForBatchAsync(client, newId, "anchored");
            Assert.Equal("anchored", (await client.GetFromJsonAsync<JsonObject>($"/credentials/{ids[0]}"))!["status"]!.GetValue<string>());
            Assert.True((await app.VerifyAsync(await client.PortableAsync(ids[0])))["verified"]!.GetValue<bool>());
        }
        finally
        {
            await node.DisposeAsync();
        }
    }
}
