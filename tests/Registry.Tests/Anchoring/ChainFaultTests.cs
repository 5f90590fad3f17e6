using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Anchoring;

/// <summary>
/// Faults caused for real on a Hardhat node of the class's own: a dropped transaction and a
/// reorganisation that undoes the anchoring block. Either way the batch is sent again and anchored.
/// The two tests run one after the other, each with a registry and a contract of its own on the node,
/// and each leaves it mining every transaction again.
/// </summary>
[Collection(NodeCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class ChainFaultTests(HardhatNode node) : IClassFixture<HardhatNode>
{
    [Fact]
    public async Task A_dropped_anchoring_transaction_is_sent_again()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Dropped Transactions College");
        var (app, _, client) = started;

        await node.RpcAsync("evm_setAutomine", false);
        try
        {
            var (ids, batchId) = await client.IssueAndSealAsync(Samples.Badge("did:example:unlucky"));
            var submitted = await RegistryApp.WaitForBatchAsync(client, batchId, "submitted");
            var dropped = submitted["transactionHash"]!.GetValue<string>();
            Assert.True((await node.RpcAsync("hardhat_dropTransaction", dropped)).GetBoolean());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, (await node.RpcAsync("eth_getTransactionByHash", dropped)).ValueKind);
            await node.RpcAsync("evm_setAutomine", true);
            // A resend that raced ahead of automining sits in the pool: one block takes it.
            await node.RpcAsync("evm_mine");

            // Sent again with the same nonce and fields, so with the same hash, and mined this time.
            var anchored = await RegistryApp.WaitForBatchAsync(client, batchId, "anchored");
            var hash = anchored["transactionHash"]!.GetValue<string>();
            Assert.NotEqual(System.Text.Json.JsonValueKind.Null, (await node.RpcAsync("eth_getTransactionReceipt", hash)).ValueKind);
            Assert.True((await app.VerifyAsync(await client.PortableAsync(ids[0])))["verified"]!.GetValue<bool>());
        }
        finally
        {
            await node.RpcAsync("evm_setAutomine", true);
        }
    }

    [Fact]
    public async Task An_anchor_undone_by_a_reorganisation_before_its_confirmations_is_sent_again()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Reorganised University", settings: new Dictionary<string, string> { ["REGISTRY_CONFIRMATIONS"] = "2" });
        var (app, _, client) = started;

        var snapshot = (await node.RpcAsync("evm_snapshot")).GetString()!;
        var (ids, batchId) = await client.IssueAndSealAsync(Samples.Badge("did:example:unlucky"));
        var first = await RegistryApp.WaitForBatchAsync(client, batchId, "submitted");
        var firstHash = first["transactionHash"]!.GetValue<string>();
        // Wait until the first transaction is mined, then undo its block.
        await Eventually.TrueAsync(async () => (await node.RpcAsync("eth_getTransactionReceipt", firstHash)).ValueKind != System.Text.Json.JsonValueKind.Null,
            "the first transaction to be mined");
        Assert.True((await node.RpcAsync("evm_revert", snapshot)).GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await node.RpcAsync("eth_getTransactionReceipt", firstHash)).ValueKind);

        // The registry notices the anchor is gone and sends it again: the same nonce, raised fees, so a new hash.
        await Eventually.TrueAsync(async () =>
            (await client.GetFromJsonAsync<JsonObject>($"/batches/{batchId}"))!["transactionHash"]?.GetValue<string>() is { } hash
            && hash != firstHash && (await node.RpcAsync("eth_getTransactionReceipt", hash)).ValueKind != System.Text.Json.JsonValueKind.Null,
            "the batch to be sent again and mined under a new hash");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await node.RpcAsync("eth_getTransactionReceipt", firstHash)).ValueKind);
        await node.RpcAsync("hardhat_mine", "0x2");

        await RegistryApp.WaitForBatchAsync(client, batchId, "anchored");
        Assert.True((await app.VerifyAsync(await client.PortableAsync(ids[0])))["verified"]!.GetValue<bool>());
    }
}
