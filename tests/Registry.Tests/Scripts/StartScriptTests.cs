using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Scripts;

/// <summary>
/// `scripts/start.sh` run as a real process. With its node down it starts a local node only for a
/// local chain; for any other it must say the node is down and start nothing. The node it starts
/// outlives the API, which it starts again; Ctrl-C stops both. A collection of its own, beside the
/// others: the script builds the registry and publishes the page only when their sources changed (one
/// at a time), so the run's build serves it, and most of its time is spent waiting for processes.
/// </summary>
[TakesAbout(160)]
public sealed class StartScriptTests
{
    [Theory]
    [InlineData("http://127.0.0.1:{port}", true)] // loopback, but a contract of another chain is configured
    [InlineData("http://10.255.255.1:{port}", false)] // an address that is not this machine (it may drop packets: the probe gives up after 3 s)
    [InlineData("http://rpc.invalid:{port}", false)] // a name that never resolves
    public async Task With_the_node_of_another_chain_down_it_says_so_and_starts_nothing(string url, bool withContract)
    {
        var rpcPort = FreePorts.Next();
        var apiPort = FreePorts.Next();
        var rpcUrl = url.Replace("{port}", rpcPort.ToString());
        var dataDir = Path.Combine(TempFolder.Create(), "data");

        var result = await ProgramRunner.RunAsync("bash", ["scripts/start.sh"], start =>
        {
            start.WithoutRegistrySettings();
            start.Environment["REGISTRY_RPC_URL"] = rpcUrl;
            start.Environment["REGISTRY_URLS"] = $"http://127.0.0.1:{apiPort}";
            start.Environment["REGISTRY_DATA_DIR"] = dataDir;
            if (withContract) start.Environment["REGISTRY_CONTRACT"] = "0x" + new string('1', 40);
        }, timeoutSeconds: 30);

        Assert.True(result.ExitCode == 1, result.Output);
        Assert.Contains($"No Ethereum node answers at {rpcUrl}", result.Output);
        Assert.False(StartScript.Listening(rpcPort), $"something listens on the RPC port {rpcPort}:\n{result.Output}");
        Assert.False(StartScript.Listening(apiPort), $"something listens on the API port {apiPort}:\n{result.Output}");
        Assert.False(Directory.Exists(dataDir), $"the data folder was created:\n{result.Output}");
    }

    /// <summary>
    /// A second run beside a first one finds its ports taken: it says which setting moves them and
    /// stops at once, before building or starting anything (no restarts, no stack traces).
    /// </summary>
    [Theory]
    [InlineData("REGISTRY_URLS")] // the API's address, taken by another registry
    [InlineData("REGISTRY_RPC_URL")] // the local node's port, taken by a program that is not an Ethereum node
    public async Task On_ports_already_in_use_it_names_the_setting_that_moves_them_and_starts_nothing(string taken)
    {
        var rpcPort = FreePorts.Next();
        var apiPort = FreePorts.Next();
        var dataDir = Path.Combine(TempFolder.Create(), "data");
        var busy = new System.Net.Sockets.TcpListener(IPAddress.Loopback, taken == "REGISTRY_URLS" ? apiPort : rpcPort);
        busy.Start();
        try
        {
            var result = await ProgramRunner.RunAsync("bash", ["scripts/start.sh"], start =>
            {
                start.WithoutRegistrySettings();
                start.Environment["REGISTRY_RPC_URL"] = $"http://127.0.0.1:{rpcPort}";
                start.Environment["REGISTRY_URLS"] = $"http://127.0.0.1:{apiPort}";
                start.Environment["REGISTRY_DATA_DIR"] = dataDir;
            }, timeoutSeconds: 60);

            Assert.True(result.ExitCode == 1, result.Output);
            Assert.Contains($"{taken}=http://127.0.0.1:", result.Output);
            Assert.Contains("Nothing was started.", result.Output);
            Assert.DoesNotContain("Starting", result.Output);
            Assert.DoesNotContain("   at ", result.Output); // no stack trace
            Assert.False(StartScript.Listening(taken == "REGISTRY_URLS" ? rpcPort : apiPort), result.Output);
            Assert.False(Directory.Exists(dataDir), $"the data folder was created:\n{result.Output}");
        }
        finally
        {
            busy.Stop();
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_killed_API_is_started_again_on_the_same_chain_and_Ctrl_C_stops_both()
    {
        await using var script = StartScript.Start();
        var before = await script.WaitForHealthAsync();
        // The script makes the data folder for its user alone, so the registry finds nothing to tighten (and warn of) at its first start.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(script.DataDir));
        Assert.DoesNotContain("Other users could read", script.Output);
        var (portable, issuerKey, credentialId) = await AnchorOneAsync(script);
        var nodePid = script.NodePid;
        var firstApi = script.ApiPid;

        await StartScript.KillAsync(firstApi);
        var after = await WaitForNewApiAsync(script, firstApi);

        Assert.Equal(nodePid, script.NodePid);
        Assert.Equal(before["registry"]!.GetValue<string>(), after["registry"]!.GetValue<string>());
        Assert.True(after["blockNumber"]!.GetValue<long>() >= before["blockNumber"]!.GetValue<long>() + 2, after.ToJsonString());
        // The anchor is still on the node's chain, and the issuer's key still works.
        await AssertVerifiesAsync(script, portable);
        using var issuer = script.Client(issuerKey);
        Assert.Equal(HttpStatusCode.OK, (await issuer.GetAsync($"/credentials/{credentialId}")).StatusCode);

        // Ctrl-C in the script's terminal: SIGINT to its whole process group.
        var api = script.ApiPid;
        await script.SignalAsync("INT", wholeGroup: true);
        Assert.Equal(130, await script.WaitForExitAsync(60));
        AssertStopped(script, api, nodePid);
    }

    [Fact]
    public async Task SIGINT_to_the_script_alone_stops_the_API_and_its_node()
    {
        await using var script = StartScript.Start();
        await script.WaitForHealthAsync();
        var (api, node) = (script.ApiPid, script.NodePid);

        await script.SignalAsync("INT", wholeGroup: false);

        Assert.Equal(130, await script.WaitForExitAsync(60));
        AssertStopped(script, api, node);
    }

    [Fact]
    public async Task With_Anvil_the_chain_and_its_anchors_survive_a_restart_of_the_script()
    {
        var anvil = new Dictionary<string, string?> { ["REGISTRY_LOCAL_NODE"] = "anvil" };
        JsonObject portable;
        JsonObject before;
        string dataDir;
        await using (var first = StartScript.Start(settings: anvil))
        {
            await first.WaitForHealthAsync();
            (portable, _, _) = await AnchorOneAsync(first);
            before = await first.WaitForHealthAsync();
            dataDir = first.DataDir;
            var (api, node) = (first.ApiPid, first.NodePid);
            await first.SignalAsync("INT", wholeGroup: true);
            Assert.Equal(130, await first.WaitForExitAsync(60));
            AssertStopped(first, api, node);
        }
        Assert.True(File.Exists(Path.Combine(dataDir, "anvil-state.json")));

        await using var second = StartScript.Start(dataDir, anvil);
        var after = await second.WaitForHealthAsync();

        var contract = before["registry"]!.GetValue<string>();
        Assert.Equal(contract, after["registry"]!.GetValue<string>());
        Assert.True(after["blockNumber"]!.GetValue<long>() >= before["blockNumber"]!.GetValue<long>(), after.ToJsonString());
        Assert.NotEqual("0x", await CodeAtAsync(second.RpcUrl, contract));
        Assert.DoesNotContain("deploying a new one", second.Output);
        await AssertVerifiesAsync(second, portable);
        await second.SignalAsync("INT", wholeGroup: true);
        Assert.Equal(130, await second.WaitForExitAsync(60));
    }

    // The restart policy is the same whichever local node the script started: these two take Anvil, which starts in a
    // tenth of a second where Hardhat takes two seconds of a core (the tests above stop a Hardhat node, the default).
    [Fact]
    public async Task A_registry_that_refuses_its_settings_is_not_started_again_and_its_node_stops()
    {
        await using var script = StartScript.Start(settings: new Dictionary<string, string?>
        {
            ["REGISTRY_MAX_BATCH_SIZE"] = "many", ["REGISTRY_LOCAL_NODE"] = "anvil",
        });

        Assert.Equal(2, await script.WaitForExitAsync(180));
        Assert.Single(script.Output.Split('\n'), line => line.StartsWith("Starting the registry on", StringComparison.Ordinal));
        Assert.Contains("REGISTRY_MAX_BATCH_SIZE", script.Output);
        Assert.False(StartScript.Listening(script.RpcPort), $"the node still listens:\n{script.Output}");
    }

    [Fact]
    public async Task A_registry_that_keeps_failing_at_once_is_given_up_after_five_quick_exits()
    {
        // An address that is not this machine's (TEST-NET-1): the port check passes it, but every start of the
        // API fails at once when it cannot listen there (not with a settings exit code).
        await using var script = StartScript.Start(settings: new Dictionary<string, string?>
        {
            ["REGISTRY_URLS"] = $"http://192.0.2.1:{FreePorts.Next()}", ["REGISTRY_LOCAL_NODE"] = "anvil",
        });

        Assert.Equal(1, await script.WaitForExitAsync(240));
        Assert.Equal(5, script.Output.Split('\n').Count(line => line.StartsWith("Starting the registry on", StringComparison.Ordinal)));
        Assert.False(StartScript.Listening(script.RpcPort), $"the node still listens:\n{script.Output}");
    }

    [Fact]
    public async Task An_unknown_local_node_is_bad_usage_and_starts_nothing()
    {
        await using var script = StartScript.Start(settings: new Dictionary<string, string?> { ["REGISTRY_LOCAL_NODE"] = "ganache" });

        Assert.Equal(2, await script.WaitForExitAsync(30));
        Assert.False(StartScript.Listening(script.RpcPort), script.Output);
        Assert.False(Directory.Exists(script.DataDir), script.Output);
    }

    /// <summary>Creates an issuer, issues one badge and waits for its anchor; returns the portable credential, the issuer's key and the credential's id.</summary>
    private static async Task<(JsonObject Portable, string IssuerKey, string CredentialId)> AnchorOneAsync(StartScript script)
    {
        using var admin = script.Client(RegistryApp.AdminKey);
        var created = await admin.PostAsJsonAsync("/issuers", new { name = "Open University of Testing" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var issuerKey = (await created.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!.GetValue<string>();
        using var issuer = script.Client(issuerKey);
        var (ids, batchId) = await issuer.IssueAndSealAsync(Samples.Badge());
        await RegistryApp.WaitForBatchAsync(issuer, batchId, "anchored");
        return (await issuer.PortableAsync(ids[0]), issuerKey, ids[0]);
    }

    private static async Task<JsonObject> WaitForNewApiAsync(StartScript script, int oldApi)
    {
        await Eventually.TrueAsync(() => (script.ChildWith("Registry.Api.dll") ?? oldApi) != oldApi, "the script to start a new API", TimeSpan.FromSeconds(60));
        var health = await script.WaitForHealthAsync(60);
        Assert.NotEqual(oldApi, script.ApiPid);
        return health;
    }

    private static async Task AssertVerifiesAsync(StartScript script, JsonObject portable)
    {
        using var client = script.Client();
        var response = await client.PostAsJsonAsync("/verify", portable);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verification = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(verification["verified"]!.GetValue<bool>(), $"{verification.ToJsonString()}\n{script.Output}");
    }

    private static async Task<string> CodeAtAsync(Uri rpcUrl, string address)
    {
        using var http = new HttpClient();
        var response = await http.PostAsJsonAsync(rpcUrl, new { jsonrpc = "2.0", id = 1, method = "eth_getCode", @params = new object[] { address, "latest" } });
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["result"]!.GetValue<string>();
    }

    private static void AssertStopped(StartScript script, int api, int node)
    {
        Assert.False(StartScript.Running(api), $"the API ({api}) still runs:\n{script.Output}");
        Assert.False(StartScript.Running(node), $"the node ({node}) still runs:\n{script.Output}");
        Assert.False(StartScript.Listening(script.ApiPort), $"something listens on the API port:\n{script.Output}");
        Assert.False(StartScript.Listening(script.RpcPort), $"something listens on the RPC port:\n{script.Output}");
    }
}
