using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;
using Registry.Tests.Verification;

namespace Registry.Tests.Cli;

/// <summary>The real `registry` program, run as a process against the chain, with no registry server running.</summary>
[Collection(RegistryCollection.Name)]
public sealed class CliTests(SharedRegistry registry)
{
    [Fact]
    public async Task Verify_passes_a_valid_file_and_fails_a_tampered_one_while_the_api_is_stopped()
    {
        // A registry of its own, stopped before verifying: only the chain is left.
        string file, tampered, directed, contract, didKey;
        await using (var started = await RegistryApp.StartWithIssuerAsync(registry.Node.RpcUrl, "Polytechnic of the CLI"))
        {
            var (app, issuer, client) = started;
            didKey = issuer.DidKey;
            var ids = await app.IssueAndAnchorAsync(client, Samples.Badge("did:example:dana"), Samples.Plain(), Samples.Directed());
            var portable = (await client.GetFromJsonAsync<JsonObject>($"/credentials/{ids[1]}/credential.json"))!;
            contract = portable.AnchorProof()["anchor"]!["registry"]!.GetValue<string>();
            var folder = TempFolder.Create();
            // Base directions (@direction) are signed with the rest: the CLI canonicalises as the registry signs.
            directed = Path.Combine(folder, "directed.json");
            await File.WriteAllTextAsync(directed, await client.GetStringAsync($"/credentials/{ids[2]}/credential.json"));
            file = Path.Combine(folder, "dana.json");
            await File.WriteAllTextAsync(file, portable.ToJsonString());
            TamperingTests.Tamper(portable, "subject field");
            tampered = Path.Combine(folder, "tampered.json");
            await File.WriteAllTextAsync(tampered, portable.ToJsonString());
        }

        var valid = await RunAsync("verify", file, "--rpc", registry.Node.RpcUrl.ToString(), "--registry", contract);
        Assert.True(valid.ExitCode == 0, valid.Output);
        Assert.Contains("VERIFIED", valid.Output);
        // The chain's name for the issuer, and its did:key as written (not ":key:" read as an emoji).
        Assert.Contains("issued by Polytechnic of the CLI", valid.Output);
        Assert.Contains(didKey, valid.Output);
        var withDirections = await RunAsync("verify", directed, "--rpc", registry.Node.RpcUrl.ToString(), "--registry", contract);
        Assert.True(withDirections.ExitCode == 0, withDirections.Output);

        var bad = await RunAsync("verify", tampered, "--rpc", registry.Node.RpcUrl.ToString(), "--registry", contract, "--json");
        Assert.True(bad.ExitCode == 1, bad.Output);
        var report = JsonNode.Parse(bad.Output)!;
        Assert.False(report["verified"]!.GetValue<bool>());
        Assert.Equal("failed", report["checks"]![1]!["status"]!.GetValue<string>());
        Assert.Equal("digest", report["checks"]![1]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_without_a_trusted_registry_fails_at_registry()
    {
        var file = Path.Combine(TempFolder.Create(), "c.json");
        await File.WriteAllTextAsync(file, registry.Portable.ToJsonString());

        var result = await RunAsync("verify", file, "--rpc", registry.Node.RpcUrl.ToString(), "--json");

        Assert.Equal(1, result.ExitCode);
        var registryCheck = JsonNode.Parse(result.Output)!["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "registry")!;
        Assert.Equal("failed", registryCheck["status"]!.GetValue<string>());
        // It names what it trusts (nothing here), and never the address the document names.
        Assert.Contains("trusts none", registryCheck["message"]!.GetValue<string>());
        Assert.DoesNotContain(registry.Contract, registryCheck["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Verify_with_the_node_down_is_no_verdict_and_says_which_url_failed_and_how_to_give_another()
    {
        var file = Path.Combine(TempFolder.Create(), "c.json");
        await File.WriteAllTextAsync(file, registry.Portable.ToJsonString());
        var down = $"http://127.0.0.1:{FreePorts.Next()}";

        // Trusting the right contract through a node that is not there (stopped, or on another port).
        var result = await RunAsync("verify", file, "--rpc", down, "--registry", registry.Contract, "--json");

        Assert.True(result.ExitCode == 3, result.Output);
        var report = JsonNode.Parse(result.Output[..(result.Output.LastIndexOf('}') + 1)])!;
        Assert.False(report["verified"]!.GetValue<bool>());
        Assert.Equal("could-not-check", report["outcome"]!.GetValue<string>());
        var notChecked = report["checks"]!.AsArray().Single(c => c!["status"]!.GetValue<string>() != "passed" && c["status"]!.GetValue<string>() != "skipped")!;
        Assert.Equal("registry", notChecked["name"]!.GetValue<string>());
        Assert.Equal("could-not-check", notChecked["status"]!.GetValue<string>());
        Assert.Equal("node-unreachable", notChecked["reason"]!.GetValue<string>());
        Assert.Contains(down, result.Output);
        Assert.Contains("--rpc", result.Output);
        Assert.Contains("REGISTRY_RPC_URL", result.Output);

        // The same through REGISTRY_RPC_URL, in the table: not "NOT VERIFIED".
        var table = await RunWithEnvironmentAsync(new Dictionary<string, string?> { ["REGISTRY_RPC_URL"] = down, ["REGISTRY_CONTRACT"] = registry.Contract }, "verify", file);
        Assert.True(table.ExitCode == 3, table.Output);
        Assert.Contains("COULD NOT CHECK", table.Output);
        Assert.DoesNotContain("NOT VERIFIED", table.Output);
    }

    [Theory]
    [InlineData("verify", "/definitely/not/here.json")]
    [InlineData("verify")]
    [InlineData("verify", "x.json", "--rpc", "not a url")]
    [InlineData("verify", "x.json", "--registry", "0x1234")]
    [InlineData("frobnicate")]
    public async Task Bad_usage_and_unreadable_files_exit_2(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 2, result.Output);
    }

    [Fact]
    public async Task A_file_that_is_not_json_is_not_verified()
    {
        var file = Path.Combine(TempFolder.Create(), "junk.json");
        await File.WriteAllTextAsync(file, "this is not a credential");
        var result = await RunAsync("verify", file, "--rpc", registry.Node.RpcUrl.ToString(), "--registry", registry.Contract);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("format", result.Output);
    }

    [Fact]
    public async Task Deploy_prints_the_address_of_a_working_contract()
    {
        var result = await RunAsync("deploy", "--rpc", registry.Node.RpcUrl.ToString(), "--key", Registry.Chain.DevelopmentChain.OperatorKey);
        Assert.True(result.ExitCode == 0, result.Output);
        var address = result.Output.Split('\n')[0].Trim(); // stdout (the address) comes before stderr
        Assert.Matches("^0x[0-9a-f]{40}$", address);
        Assert.True(await new Registry.Chain.ChainConnection(registry.Node.RpcUrl).HasCodeAsync(address));
    }

    [Fact]
    public async Task Deploy_refuses_a_malformed_key()
    {
        var result = await RunAsync("deploy", "--rpc", registry.Node.RpcUrl.ToString(), "--key", "0xnotakey");
        Assert.Equal(2, result.ExitCode);
    }

    public static Task<(int ExitCode, string Output)> RunAsync(params string[] args) =>
        RunWithEnvironmentAsync(new Dictionary<string, string?>(), args);

    /// <summary>Runs the program with none of the registry's settings from this process, only <paramref name="environment"/>.</summary>
    public static Task<(int ExitCode, string Output)> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        ProgramRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "registry.dll"), .. args], start =>
        {
            foreach (var name in new[] { "REGISTRY_CONTRACT", "REGISTRY_TRUSTED", "REGISTRY_RPC_URL", "REGISTRY_OPERATOR_KEY" })
                start.Environment.Remove(name);
            start.Environment["NO_COLOR"] = "1";
            start.Environment["COLUMNS"] = "200";
            foreach (var (name, value) in environment) start.Environment[name] = value;
        });
}
