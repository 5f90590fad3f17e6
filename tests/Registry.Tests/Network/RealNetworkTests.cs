using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Chain;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Network;

/// <summary>
/// The registry on a stand-in for a public network: Anvil with Sepolia's chain id and a block every
/// second, a fresh operator key, issuer accounts that pay their own gas. Each test has its own node,
/// because each changes the chain's fees or mining.
/// </summary>
[TakesAbout(80)]
public sealed class RealNetworkTests
{
    private static async Task<RegistryApp> StartRegistryAsync(AnvilNode anvil, Dictionary<string, string>? extra = null)
    {
        var (operatorKey, _) = await anvil.NewFundedAccountAsync(100m);
        var contract = (await RegistryWriter.DeployAsync(new ChainConnection(anvil.RpcUrl), operatorKey, AnvilNode.SepoliaChainId)).Address;
        var settings = new Dictionary<string, string>
        {
            ["REGISTRY_OPERATOR_KEY"] = operatorKey,
            ["REGISTRY_CONTRACT"] = contract,
            ["REGISTRY_CONFIRMATIONS"] = "2",
            // A public network's keystores take the standard scrypt parameters: the light ones are refused there.
            ["REGISTRY_LIGHT_KDF"] = "false",
        };
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        return new RegistryApp(anvil.RpcUrl, settings: settings);
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, string path) => (await client.GetFromJsonAsync<JsonObject>(path))!;

    /// <summary>Polls <paramref name="path"/> until <paramref name="done"/> holds of the answer, and returns that answer.</summary>
    private static Task<JsonObject> WaitUntilAsync(HttpClient client, string path, Func<JsonObject, bool> done, int seconds = 60) =>
        Eventually.GetAsync(() => GetAsync(client, path), done, $"{path} to get there", TimeSpan.FromSeconds(seconds));

    private static async Task<long> NonceOfAsync(AnvilNode anvil, string address) =>
        Convert.ToInt64((await anvil.RpcAsync("eth_getTransactionCount", address, "latest")).GetString(), 16);

    [Fact]
    public async Task From_an_unfunded_issuer_to_a_verified_then_revoked_credential()
    {
        await using var anvil = await LocalNode.StartAsync<AnvilNode>();
        await using var app = await StartRegistryAsync(anvil, new() { ["REGISTRY_CONFIRMATIONS"] = "3" });

        var created = (await (await app.Admin().PostAsJsonAsync("/issuers", new { name = "Sepolia State University" })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("0", created["balanceWei"]!.GetValue<string>());
        Assert.Equal(0, created["anchorsAffordable"]!.GetValue<long>());
        var address = created["address"]!.GetValue<string>();
        var client = app.ClientWithKey(created["apiKey"]!.GetValue<string>());

        var (ids, batchId) = await client.IssueAndSealAsync(Samples.Badge("did:example:sepolia-learner"));
        var waiting = await WaitUntilAsync(client, $"/batches/{batchId}", b => b["waiting"] is not null);
        Assert.Equal("sealed", waiting["status"]!.GetValue<string>());
        Assert.Contains($"issuer account {address} holds 0 ETH (0 wei)", waiting["waiting"]!.GetValue<string>());
        // The fields the specification lists are there before they have a value; the others only once they have one.
        foreach (var field in new[] { "transactionHash", "blockNumber", "anchoredAt", "gasUsed" })
        {
            Assert.True(waiting.ContainsKey(field), field);
            Assert.Null(waiting[field]);
        }
        Assert.False(waiting.ContainsKey("confirmations"));
        var health = await GetAsync(app.CreateClient(), "/health");
        Assert.Equal("degraded", health["status"]!.GetValue<string>());
        Assert.Contains("Waiting for funds", health["problem"]!.GetValue<string>());

        await anvil.FundAsync(address, 0.5m);
        var profile = await GetAsync(app.Admin(), $"/issuers/{created["id"]}");
        Assert.Equal("500000000000000000", profile["balanceWei"]!.GetValue<string>());
        Assert.True(profile["anchorsAffordable"]!.GetValue<long>() > 100);
        Assert.Null((await GetAsync(app.CreateClient(), $"/issuers/{created["id"]}"))["balanceWei"]); // the public profile has no balance

        // Mined, then 1 of 3 and 2 of 3 confirmations, then anchored.
        var confirming = await WaitUntilAsync(client, $"/batches/{batchId}", b => b["confirmations"] is not null);
        Assert.Equal("submitted", confirming["status"]!.GetValue<string>());
        Assert.Equal(3, confirming["confirmationsRequired"]!.GetValue<int>());
        Assert.InRange(confirming["confirmations"]!.GetValue<int>(), 0, 2);
        Assert.NotNull(confirming["blockNumber"]);
        Assert.Null(confirming["waiting"]);
        var anchored = await RegistryApp.WaitForBatchAsync(client, batchId, "anchored");
        Assert.Equal(3, anchored["confirmations"]!.GetValue<int>());
        Assert.Equal("ok", (await GetAsync(app.CreateClient(), "/health"))["status"]!.GetValue<string>());

        var portable = await client.PortableAsync(ids[0]);
        Assert.Equal(AnvilNode.SepoliaChainId, portable.AnchorProof()["anchor"]!["chainId"]!.GetValue<long>());
        Assert.True((await app.VerifyAsync(portable))["verified"]!.GetValue<bool>());

        // An account that cannot pay for the revocation is named, with its shortfall, before anything is sent.
        await anvil.FundAsync(address, 0m);
        var unpaid = await Api.ProblemTests.ExpectProblemAsync(
            await client.PostAsJsonAsync($"/credentials/{ids[0]}/revoke", new { reason = "Issued in error" }), HttpStatusCode.Conflict);
        Assert.StartsWith($"Cannot revoke: issuer account {address} holds 0 ETH (0 wei); revoking needs up to", unpaid["detail"]!.GetValue<string>());
        Assert.Equal("Issuer account cannot pay", unpaid["title"]!.GetValue<string>());
        Assert.Equal("anchored", (await GetAsync(client, $"/credentials/{ids[0]}"))["status"]!.GetValue<string>());
        await anvil.FundAsync(address, 0.5m);

        var revoke = await client.PostAsJsonAsync($"/credentials/{ids[0]}/revoke", new { reason = "Issued in error" });
        Assert.Equal(HttpStatusCode.Accepted, revoke.StatusCode);
        Assert.Equal("revoking", (await revoke.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        Assert.Equal("revoking", (await GetAsync(client, $"/credentials/{ids[0]}"))["status"]!.GetValue<string>());
        await WaitUntilAsync(client, $"/credentials/{ids[0]}", c => c["status"]!.GetValue<string>() == "revoked");
        Assert.Equal("revocation", (await app.VerifyAsync(portable)).FailedCheck()!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_configured_top_up_funds_new_issuers_from_the_operator()
    {
        await using var anvil = await LocalNode.StartAsync<AnvilNode>();
        await using var app = await StartRegistryAsync(anvil, new() { ["REGISTRY_TOPUP_AMOUNT"] = "0.02", ["REGISTRY_TOPUP_BELOW"] = "0.01" });
        var created = (await (await app.Admin().PostAsJsonAsync("/issuers", new { name = "Topped Up Institute" })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("20000000000000000", created["balanceWei"]!.GetValue<string>());
        var client = app.ClientWithKey(created["apiKey"]!.GetValue<string>());
        var (_, batchId) = await client.IssueAndSealAsync(Samples.Plain());
        await RegistryApp.WaitForBatchAsync(client, batchId, "anchored");
    }

    [Fact]
    public async Task A_base_fee_above_the_ceiling_makes_anchoring_wait_then_resume()
    {
        await using var anvil = await LocalNode.StartAsync<AnvilNode>();
        await using var app = await StartRegistryAsync(anvil, new() { ["REGISTRY_MAX_FEE_GWEI"] = "5", ["REGISTRY_TOPUP_AMOUNT"] = "1" });
        var (issuer, client) = await app.AddIssuerAsync("Fee Conscious College");

        await anvil.RpcAsync("anvil_setNextBlockBaseFeePerGas", "0x" + (20 * FeePolicy.WeiPerGwei).ToString("x"));
        var spiked = Convert.ToInt64((await anvil.RpcAsync("eth_blockNumber")).GetString(), 16) + 1;
        await Eventually.TrueAsync(async () => Convert.ToInt64((await anvil.RpcAsync("eth_blockNumber")).GetString(), 16) >= spiked, "the block with the raised base fee");

        var (ids, batchId) = await client.IssueAndSealAsync(Samples.Plain());
        var waiting = await WaitUntilAsync(client, $"/batches/{batchId}", b => b["waiting"] is not null);
        Assert.Equal("sealed", waiting["status"]!.GetValue<string>());
        Assert.Contains("above the ceiling of 5 gwei (REGISTRY_MAX_FEE_GWEI)", waiting["waiting"]!.GetValue<string>());
        Assert.Contains("above the ceiling", (await GetAsync(app.CreateClient(), "/health"))["problem"]!.GetValue<string>());

        // Empty blocks lower the base fee by an eighth each; under the ceiling, the batch goes.
        var anchored = await RegistryApp.WaitForBatchAsync(client, batchId, "anchored", seconds: 90);
        Assert.Null(anchored["waiting"]);
        var receipt = await anvil.RpcAsync("eth_getTransactionReceipt", anchored["transactionHash"]!.GetValue<string>());
        Assert.True(Convert.ToInt64(receipt.GetProperty("effectiveGasPrice").GetString(), 16) <= 5 * FeePolicy.WeiPerGwei);
        Assert.True((await app.VerifyAsync(await client.PortableAsync(ids[0])))["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_transaction_dropped_from_the_pool_is_sent_again_with_its_nonce_and_anchors_once()
    {
        await using var anvil = await LocalNode.StartAsync<AnvilNode>();
        await using var app = await StartRegistryAsync(anvil, new() { ["REGISTRY_TOPUP_AMOUNT"] = "1" });
        var (issuer, client) = await app.AddIssuerAsync("Dropped Transaction Academy");

        await anvil.StopMiningAsync();
        var (_, batchId) = await client.IssueAndSealAsync(Samples.Plain());
        var first = (await RegistryApp.WaitForBatchAsync(client, batchId, "submitted"))["transactionHash"]!.GetValue<string>();
        await anvil.RpcAsync("anvil_dropTransaction", first);
        Assert.Equal(JsonValueKind.Null, (await anvil.RpcAsync("eth_getTransactionByHash", first)).ValueKind);
        await anvil.MineEverySecondAsync();

        var anchored = await RegistryApp.WaitForBatchAsync(client, batchId, "anchored", seconds: 90);
        Assert.NotEqual(first, anchored["transactionHash"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.Null, (await anvil.RpcAsync("eth_getTransactionReceipt", first)).ValueKind);
        Assert.Equal(1, await NonceOfAsync(anvil, issuer.Address)); // one transaction mined from the issuer's account
    }

    [Fact]
    public async Task A_transaction_priced_below_the_base_fee_and_evicted_is_sent_again_with_higher_fees_and_anchors_once()
    {
        await using var anvil = await LocalNode.StartAsync<AnvilNode>();
        await using var app = await StartRegistryAsync(anvil,
            new() { ["REGISTRY_TOPUP_AMOUNT"] = "1", ["REGISTRY_REPLACE_AFTER_BLOCKS"] = "2" });
        var (issuer, client) = await app.AddIssuerAsync("Underpriced Polytechnic");

        await anvil.StopMiningAsync();
        var (ids, batchId) = await client.IssueAndSealAsync(Samples.Plain());
        var first = (await RegistryApp.WaitForBatchAsync(client, batchId, "submitted"))["transactionHash"]!.GetValue<string>();
        // The base fee jumps to twice what the transaction offers: Anvil leaves it out of the block and evicts it.
        // (No higher: each empty block after takes an eighth off, and the replacement is priced from it.)
        var offered = Convert.ToInt64((await anvil.RpcAsync("eth_getTransactionByHash", first)).GetProperty("maxFeePerGas").GetString(), 16);
        await anvil.RpcAsync("anvil_setNextBlockBaseFeePerGas", "0x" + (2 * offered).ToString("x"));
        await anvil.RpcAsync("evm_mine");
        Assert.Equal(JsonValueKind.Null, (await anvil.RpcAsync("eth_getTransactionReceipt", first)).ValueKind);
        await anvil.MineEverySecondAsync();

        var anchored = await RegistryApp.WaitForBatchAsync(client, batchId, "anchored", seconds: 90);
        var replacement = anchored["transactionHash"]!.GetValue<string>();
        Assert.NotEqual(first, replacement);
        Assert.Equal(JsonValueKind.Null, (await anvil.RpcAsync("eth_getTransactionReceipt", first)).ValueKind);
        Assert.Equal(1, await NonceOfAsync(anvil, issuer.Address));
        Assert.True((await app.VerifyAsync(await client.PortableAsync(ids[0])))["verified"]!.GetValue<bool>());
    }

    /// <summary>
    /// A node that keeps an underpriced transaction in its pool (Hardhat does, as geth does) never mines
    /// it; after REGISTRY_REPLACE_AFTER_BLOCKS blocks the registry replaces it: same nonce, higher fees.
    /// </summary>
    [Fact]
    public async Task A_transaction_that_waits_too_many_blocks_in_the_pool_is_replaced_and_anchors_once()
    {
        await using var node = await LocalNode.StartAsync<HardhatNode>();
        await using var app = new RegistryApp(node.RpcUrl, settings: new Dictionary<string, string> { ["REGISTRY_REPLACE_AFTER_BLOCKS"] = "2" });
        var (issuer, client) = await app.AddIssuerAsync("Patient Conservatory");
        var nonceBefore = Convert.ToInt64((await node.RpcAsync("eth_getTransactionCount", issuer.Address, "latest")).GetString(), 16);

        await node.RpcAsync("evm_setAutomine", false);
        var (ids, batchId) = await client.IssueAndSealAsync(Samples.Plain());
        var first = (await RegistryApp.WaitForBatchAsync(client, batchId, "submitted"))["transactionHash"]!.GetValue<string>();
        await node.RpcAsync("hardhat_setNextBlockBaseFeePerGas", "0x" + (60 * FeePolicy.WeiPerGwei).ToString("x"));
        await node.RpcAsync("hardhat_mine", "0x3"); // three blocks it cannot enter, the first at 60 gwei
        Assert.Equal(JsonValueKind.Null, (await node.RpcAsync("eth_getTransactionReceipt", first)).ValueKind);
        Assert.NotEqual(JsonValueKind.Null, (await node.RpcAsync("eth_getTransactionByHash", first)).ValueKind);

        var replaced = await WaitUntilAsync(client, $"/batches/{batchId}", b => b["transactionHash"]!.GetValue<string>() != first);
        Assert.Equal("submitted", replaced["status"]!.GetValue<string>());
        await node.RpcAsync("evm_setAutomine", true);
        await node.RpcAsync("hardhat_mine", "0x1");

        var anchored = await RegistryApp.WaitForBatchAsync(client, batchId, "anchored");
        Assert.Equal(replaced["transactionHash"]!.GetValue<string>(), anchored["transactionHash"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.Null, (await node.RpcAsync("eth_getTransactionReceipt", first)).ValueKind);
        Assert.Equal(nonceBefore + 1, Convert.ToInt64((await node.RpcAsync("eth_getTransactionCount", issuer.Address, "latest")).GetString(), 16));
        Assert.True((await app.VerifyAsync(await client.PortableAsync(ids[0])))["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_head_that_stops_moving_makes_health_degraded()
    {
        await using var anvil = await LocalNode.StartAsync<AnvilNode>();
        await using var app = await StartRegistryAsync(anvil, new() { ["REGISTRY_HEAD_STALL_SECONDS"] = "3" });
        var http = app.CreateClient();
        Assert.Equal("ok", (await GetAsync(http, "/health"))["status"]!.GetValue<string>());

        await anvil.StopMiningAsync();
        var stalled = await WaitUntilAsync(http, "/health", h => h["status"]!.GetValue<string>() == "degraded", seconds: 20);
        Assert.Contains("head has stayed at block", stalled["problem"]!.GetValue<string>());

        await anvil.MineEverySecondAsync();
        await WaitUntilAsync(http, "/health", h => h["status"]!.GetValue<string>() == "ok", seconds: 20);
    }
}
