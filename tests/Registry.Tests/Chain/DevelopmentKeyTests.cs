using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Registry.Chain;
using Registry.Tests.Api;
using Registry.Tests.Cli;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Chain;

/// <summary>
/// The twenty accounts of the well-known development mnemonic (Hardhat's twenty, Anvil's first ten)
/// have public keys: every path that takes a key refuses them off the local chain and accepts them on it.
/// </summary>
[Collection(IssuingCollection.Name)]
public sealed class DevelopmentKeyTests(IssuingRegistry registry)
{
    private const long Sepolia = 11155111;

    public static TheoryData<int> AccountIndexes => new(Enumerable.Range(0, 20));

    [Fact]
    public async Task The_refused_keys_are_the_accounts_of_a_hardhat_node()
    {
        var accounts = (await registry.Node.RpcAsync("eth_accounts")).EnumerateArray().Select(a => a.GetString()!.ToLowerInvariant()).ToList();
        Assert.Equal(20, accounts.Count);
        Assert.Equal(accounts, DevelopmentChain.AccountKeys.Select(DevelopmentChain.AddressOf));
        Assert.Equal(DevelopmentChain.OperatorKey, DevelopmentChain.AccountKeys[0]);
    }

    [Theory]
    [MemberData(nameof(AccountIndexes))]
    public void Each_key_is_refused_off_the_local_chain_however_it_is_written(int index)
    {
        var key = DevelopmentChain.AccountKeys[index];
        foreach (var written in new[] { key, key[2..], key.ToUpperInvariant().Replace("0X", "0x"), key[2..].ToUpperInvariant() })
        {
            foreach (var chainId in new long[] { 1, 10, 137, 8453, Sepolia })
                Assert.Throws<InvalidOperationException>(() => DevelopmentChain.RefusePublicKeyOffLocalChain(written, chainId));
            DevelopmentChain.RefusePublicKeyOffLocalChain(written, DevelopmentChain.ChainId);
        }
    }

    [Theory]
    [MemberData(nameof(AccountIndexes))]
    public async Task Each_key_signs_for_the_registry_and_deploys_on_the_local_chain_only(int index)
    {
        var key = DevelopmentChain.AccountKeys[index];
        var connection = new ChainConnection(registry.Node.RpcUrl);
        Assert.Throws<InvalidOperationException>(() => new RegistryWriter(connection, key, Sepolia, "0x" + new string('1', 40)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => RegistryWriter.DeployAsync(connection, key, Sepolia));

        Assert.Equal(DevelopmentChain.AddressOf(key), new RegistryWriter(connection, key, DevelopmentChain.ChainId, "0x" + new string('1', 40)).Address);
        var deployed = (await RegistryWriter.DeployAsync(connection, key, DevelopmentChain.ChainId)).Address;
        Assert.True(await connection.HasCodeAsync(deployed));
    }

    [Fact]
    public void A_key_of_ones_own_is_accepted_anywhere()
    {
        var key = "0x" + new string('3', 64);
        Assert.False(DevelopmentChain.IsPublicDevelopmentKey(key));
        foreach (var chainId in new long[] { 1, Sepolia, DevelopmentChain.ChainId })
        {
            var writer = new RegistryWriter(new ChainConnection(registry.Node.RpcUrl), key, chainId, "0x" + new string('1', 40));
            Assert.Equal(DevelopmentChain.AddressOf(key), writer.Address);
        }
    }

    [Fact]
    public async Task Registry_deploy_refuses_the_last_account_off_the_local_chain_and_uses_it_on_it()
    {
        var key = DevelopmentChain.AccountKeys[19];
        await using var mainnet = await OtherChain.StartAsync(1);
        var refused = await CliTests.RunAsync("deploy", "--rpc", mainnet.RpcUrl.ToString(), "--key", key);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("publicly known", refused.Output);

        var deployed = await CliTests.RunAsync("deploy", "--rpc", registry.Node.RpcUrl.ToString(), "--key", key);
        Assert.True(deployed.ExitCode == 0, deployed.Output);
    }

    /// <summary>Off the local chain the registry refuses it at start (see SettingsAtStartTests); here it is its operator.</summary>
    [Fact]
    public async Task The_api_uses_a_later_account_as_operator_on_the_local_chain()
    {
        var key = DevelopmentChain.AccountKeys[12];
        await using var local = new RegistryApp(registry.Node.RpcUrl, settings: new Dictionary<string, string> { ["REGISTRY_OPERATOR_KEY"] = key });
        var issuer = await local.CreateIssuerAsync("Operated By Account Twelve");
        Assert.StartsWith("did:pkh:eip155:31337:", issuer.Did);
    }

    /// <summary>A JSON-RPC endpoint that says it serves another chain and answers nothing else: a key is checked before anything more is asked.</summary>
    private sealed class OtherChain(WebApplication app, Uri rpcUrl) : IAsyncDisposable
    {
        public Uri RpcUrl { get; } = rpcUrl;

        public static async Task<OtherChain> StartAsync(long chainId)
        {
            var url = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(url.ToString());
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapPost("/", async (HttpRequest request) =>
            {
                var call = (await request.ReadFromJsonAsync<JsonObject>())!;
                var answer = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = call["id"]?.DeepClone() };
                if (call["method"]?.GetValue<string>() == "eth_chainId") answer["result"] = $"0x{chainId:x}";
                else answer["error"] = new JsonObject { ["code"] = -32601, ["message"] = "This test chain answers eth_chainId only." };
                return Results.Json(answer);
            });
            await app.StartAsync();
            return new OtherChain(app, url);
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
