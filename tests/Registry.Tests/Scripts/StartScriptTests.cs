using System.Net.Sockets;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Scripts;

/// <summary>
/// `scripts/start.sh` run as a real process. With its node down it starts a local Hardhat node only
/// for a local chain; for any other it must say the node is down and start nothing.
/// </summary>
public sealed class StartScriptTests
{
    [Theory]
    [InlineData("http://127.0.0.1:{port}", true)] // loopback, but a contract of another chain is configured
    [InlineData("http://10.255.255.1:{port}", false)] // an address that is not this machine (it may drop packets: the probe gives up after 3 s)
    [InlineData("http://rpc.invalid:{port}", false)] // a name that never resolves
    public async Task With_the_node_of_another_chain_down_it_says_so_and_starts_nothing(string url, bool withContract)
    {
        var rpcPort = LocalNode.FreePort();
        var apiPort = LocalNode.FreePort();
        var rpcUrl = url.Replace("{port}", rpcPort.ToString());
        var dataDir = Path.Combine(TempFolder.Create(), "data");

        var result = await ProgramRunner.RunAsync("bash", ["scripts/start.sh"], start =>
        {
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("REGISTRY_", StringComparison.Ordinal)).ToList())
                start.Environment.Remove(name);
            start.Environment["REGISTRY_RPC_URL"] = rpcUrl;
            start.Environment["REGISTRY_URLS"] = $"http://127.0.0.1:{apiPort}";
            start.Environment["REGISTRY_DATA_DIR"] = dataDir;
            if (withContract) start.Environment["REGISTRY_CONTRACT"] = "0x" + new string('1', 40);
        }, timeoutSeconds: 30);

        Assert.True(result.ExitCode == 1, result.Output);
        Assert.Contains($"No Ethereum node answers at {rpcUrl}", result.Output);
        Assert.False(Listening(rpcPort), $"something listens on the RPC port {rpcPort}:\n{result.Output}");
        Assert.False(Listening(apiPort), $"something listens on the API port {apiPort}:\n{result.Output}");
        Assert.False(Directory.Exists(dataDir), $"the data folder was created:\n{result.Output}");
    }

    private static bool Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
