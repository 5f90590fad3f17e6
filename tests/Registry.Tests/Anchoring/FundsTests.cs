using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Registry.Chain;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Anchoring;

[Collection(NodeCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class FundsTests(LocalAnvilNode node)
{
    [Fact]
    public async Task An_issuer_without_funds_waits_with_a_reason_while_others_anchor_and_resumes_once_funded()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Broke Business School");
        var (app, broke, brokeClient) = started;
        var (_, solventClient) = await app.AddIssuerAsync("Solvent Seminary");

        // Empty the broke issuer's account for real: send everything but the fee away.
        var key = app.PrivateKeyOf(broke);
        var web3 = new Web3(new Account(key, DevelopmentChain.ChainId), node.RpcUrl.ToString());
        var balance = (await web3.Eth.GetBalance.SendRequestAsync(broke.Address)).Value;
        var gasPrice = (await web3.Eth.GasPrice.SendRequestAsync()).Value * 2;
        var transfer = new TransactionInput
        {
            From = broke.Address, To = "0x000000000000000000000000000000000000dEaD", Gas = new HexBigInteger(21_000),
            GasPrice = new HexBigInteger(gasPrice), Value = new HexBigInteger(balance - 21_000 * gasPrice),
        };
        await web3.TransactionManager.SendTransactionAndWaitForReceiptAsync(transfer);
        Assert.True((await web3.Eth.GetBalance.SendRequestAsync(broke.Address)).Value < 1_000_000_000_000);

        var brokeBatch = (await brokeClient.IssueAndSealAsync(Samples.Plain())).BatchId;
        var solventBatch = (await solventClient.IssueAndSealAsync(Samples.Plain())).BatchId;

        // The solvent issuer's batch is not held up by the broke one's.
        await RegistryApp.WaitForBatchAsync(solventClient, solventBatch, "anchored");
        var waiting = await Eventually.GetAsync(async () => (await brokeClient.GetFromJsonAsync<JsonObject>($"/batches/{brokeBatch}"))!,
            batch => batch["waiting"] is not null, "the broke issuer's batch to say what it waits for");
        Assert.Equal("sealed", waiting["status"]!.GetValue<string>());
        Assert.Contains($"Waiting for funds: issuer account {broke.Address} holds", waiting["waiting"]!.GetValue<string>());
        Assert.Contains("short by", waiting["waiting"]!.GetValue<string>());
        var health = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!;
        Assert.Equal("degraded", health["status"]!.GetValue<string>());
        Assert.Contains($"Batch {brokeBatch}: Waiting for funds", health["problem"]!.GetValue<string>());

        // The operator tops the account up; the batch goes through.
        await new RegistryWriter(new ChainConnection(node.RpcUrl), DevelopmentChain.OperatorKey, DevelopmentChain.ChainId,
            (await app.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!["registry"]!.GetValue<string>()).FundAsync(broke.Address, 1m);
        var anchored = await RegistryApp.WaitForBatchAsync(brokeClient, brokeBatch, "anchored", seconds: 90);
        Assert.Null(anchored["waiting"]);
        Assert.Equal("ok", (await app.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_operator_without_funds_gets_a_503_that_says_so_when_creating_an_issuer()
    {
        await using var app = new RegistryApp(node.RpcUrl);
        Assert.Equal("ok", (await app.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!["status"]!.GetValue<string>());
        var operatorAddress = DevelopmentChain.AddressOf(DevelopmentChain.OperatorKey);
        var before = (await node.RpcAsync("eth_getBalance", operatorAddress, "latest")).GetString()!;
        await node.RpcAsync("hardhat_setBalance", operatorAddress, "0x0");
        try
        {
            var response = await app.Admin().PostAsJsonAsync("/issuers", new { name = "Unfunded Academy" });
            var problem = await Api.ProblemTests.ExpectProblemAsync(response, System.Net.HttpStatusCode.ServiceUnavailable);
            Assert.Contains("funds", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await node.RpcAsync("hardhat_setBalance", operatorAddress, before);
        }
    }
}
