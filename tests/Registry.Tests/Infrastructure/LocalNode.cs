using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Registry.Tests.Infrastructure;

/// <summary>A real Ethereum node process on a free loopback port, started for the tests and stopped after them.</summary>
public abstract class LocalNode : IAsyncLifetime, IAsyncDisposable
{
    private ChildProcess? _process;

    public Uri RpcUrl { get; private set; } = null!;
    public int Port { get; private set; }

    protected abstract string Name { get; }
    protected abstract long ExpectedChainId { get; }
    protected abstract ProcessStartInfo StartInfo(int port);

    /// <summary>Starts the node on a free port and waits until it answers with its chain id; on another port when another program took this one first.</summary>
    public virtual async Task InitializeAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePorts.Next();
            RpcUrl = new Uri($"http://127.0.0.1:{Port}");
            _process = ChildProcess.Start(StartInfo(Port), $"the {Name} node on {RpcUrl}");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            try
            {
                await _process.WaitUntilReadyAsync(async () => await ChainIdAsync(http) == ExpectedChainId ? this : null,
                    TimeSpan.FromSeconds(60), typeof(HttpRequestException), typeof(TaskCanceledException));
                return;
            }
            catch (InvalidOperationException) when (attempt < 3 && PortWasTaken(_process.Output))
            {
                await _process.DisposeAsync();
            }
        }
    }

    private static bool PortWasTaken(string output) =>
        output.Contains("EADDRINUSE", StringComparison.Ordinal) || output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
        || output.Contains("Address in use", StringComparison.OrdinalIgnoreCase);

    /// <summary>Sends a raw JSON-RPC request, for what the registry itself never asks (mining blocks, setting balances).</summary>
    public async Task<JsonElement> RpcAsync(string method, params object[] parameters)
    {
        using var http = new HttpClient();
        var response = await http.PostAsJsonAsync(RpcUrl, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (body.TryGetProperty("error", out var error)) throw new InvalidOperationException($"{method}: {error}");
        return body.GetProperty("result").Clone();
    }

    private async Task<long> ChainIdAsync(HttpClient http)
    {
        var response = await http.PostAsJsonAsync(RpcUrl, new { jsonrpc = "2.0", id = 1, method = "eth_chainId", @params = Array.Empty<object>() });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return Convert.ToInt64(body.GetProperty("result").GetString(), 16);
    }

    /// <summary>A free loopback port: <see cref="FreePorts.Next"/>, under the name tests used before it.</summary>
    public static int FreePort() => FreePorts.Next();

    /// <summary>Starts a node of this kind for one test.</summary>
    public static async Task<TNode> StartAsync<TNode>() where TNode : LocalNode, new()
    {
        var node = new TNode();
        await node.InitializeAsync();
        return node;
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>Stops the node; an RPC call to it then fails as an unreachable node does.</summary>
    public async Task DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _process = null;
    }
}

/// <summary>A real Hardhat node (chain 31337, automine), the registry's local chain.</summary>
public sealed class HardhatNode : LocalNode
{
    protected override string Name => "Hardhat";
    protected override long ExpectedChainId => 31337;

    protected override ProcessStartInfo StartInfo(int port)
    {
        var cli = System.IO.Path.Combine(RepositoryRoot.Path, "node_modules", "hardhat", "internal", "cli", "cli.js");
        if (!File.Exists(cli)) throw new InvalidOperationException("Hardhat is not installed: run `npm ci` in the repository root (scripts/test.sh does).");
        return new ProcessStartInfo("node", [cli, "node", "--hostname", "127.0.0.1", "--port", port.ToString()]);
    }
}

/// <summary>
/// A real Anvil node as the local chain (chain 31337, a block for each transaction, the twenty accounts of the
/// development mnemonic, as Hardhat's node has them), where a test needs a local chain and nothing of Hardhat's
/// own: it starts with a twentieth of the processor time a Hardhat node takes and answers each call for less.
/// It also answers the <c>hardhat_*</c> methods the tests send (mining blocks, balances, dropped transactions).
/// Where Hardhat's own behaviour matters, tests keep a <see cref="HardhatNode"/>: Anvil gives two blocks mined in
/// one second the same time where Hardhat moves each block's time forward (a removal's trustedUntil, which the
/// shared registry's and the stacks' tests compare with anchor times), mines a million blocks one by one, and
/// answers a dropped transaction with its hash instead of true.
/// </summary>
public sealed class LocalAnvilNode : LocalNode
{
    protected override string Name => "Anvil (local chain)";
    protected override long ExpectedChainId => 31337;

    protected override ProcessStartInfo StartInfo(int port) =>
        new(AnvilNode.Binary(), ["--host", "127.0.0.1", "--port", port.ToString(), "--chain-id", "31337", "--accounts", "20", "--silent"]);
}

/// <summary>
/// A real Anvil node standing in for a public network: Sepolia's chain id (11155111), a block every
/// second, EIP-1559 fees. Its twenty prefunded accounts are the public development keys, which the
/// registry refuses off the local chain, so tests fund fresh keys with <see cref="FundAsync"/>.
/// </summary>
public sealed class AnvilNode : LocalNode
{
    public const long SepoliaChainId = 11155111;

    protected override string Name => "Anvil";
    protected override long ExpectedChainId => SepoliaChainId;

    protected override ProcessStartInfo StartInfo(int port) =>
        new(Binary(), ["--host", "127.0.0.1", "--port", port.ToString(), "--chain-id", SepoliaChainId.ToString(), "--block-time", "1", "--silent"]);

    /// <summary>The Anvil program that npm installed.</summary>
    public static string Binary()
    {
        var binary = System.IO.Path.Combine(RepositoryRoot.Path, "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
        if (!File.Exists(binary)) throw new InvalidOperationException("Anvil is not installed: run `npm ci` in the repository root (scripts/test.sh does).");
        return binary;
    }

    /// <summary>A fresh private key (0x-prefixed hex) and its address, holding <paramref name="ether"/> on this node.</summary>
    public async Task<(string PrivateKey, string Address)> NewFundedAccountAsync(decimal ether)
    {
        var key = Nethereum.Signer.EthECKey.GenerateKey();
        var address = key.GetPublicAddress().ToLowerInvariant();
        await FundAsync(address, ether);
        return ("0x" + Convert.ToHexString(key.GetPrivateKeyAsBytes()).ToLowerInvariant(), address);
    }

    /// <summary>Stops mining blocks (transactions wait in the pool) until <see cref="MineEverySecondAsync"/>.</summary>
    public Task StopMiningAsync() => RpcAsync("evm_setIntervalMining", 0);

    public Task MineEverySecondAsync() => RpcAsync("evm_setIntervalMining", 1);

    /// <summary>Sets <paramref name="address"/>'s balance to <paramref name="ether"/>.</summary>
    public Task FundAsync(string address, decimal ether) =>
        RpcAsync("anvil_setBalance", address, "0x" + new System.Numerics.BigInteger(ether * 1_000_000_000_000_000_000m).ToString("x").TrimStart('0').PadLeft(1, '0'));
}
