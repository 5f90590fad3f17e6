using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Chain;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Network;

/// <summary>
/// Off the local chain, a setting that cannot work stops the registry at start, non-zero, with a
/// message that says what to set; an unreachable node is an outage, not a setting. Each run is the
/// registry's own program in a process, against a real Anvil node serving Sepolia's chain id.
/// </summary>
[TakesAbout(45)]
public sealed class SettingsAtStartTests(SettingsAtStartTests.DeployedOnAnvil network) : IClassFixture<SettingsAtStartTests.DeployedOnAnvil>
{
    private const string Password = "a keystore password of the operator's";

    /// <summary>
    /// The Anvil node, with a funded operator and a version 3 contract it owns, deployed once for the class:
    /// each test only starts registries on them (none sends a transaction), each with a data folder of its own.
    /// </summary>
    public sealed class DeployedOnAnvil : IAsyncLifetime
    {
        public AnvilNode Node { get; } = new();
        public string OperatorKey { get; private set; } = "";
        public string Contract { get; private set; } = "";

        public async Task InitializeAsync()
        {
            await Node.InitializeAsync();
            (OperatorKey, _) = await Node.NewFundedAccountAsync(10m);
            Contract = (await RegistryWriter.DeployAsync(new ChainConnection(Node.RpcUrl), OperatorKey, AnvilNode.SepoliaChainId)).Address;
        }

        public Task DisposeAsync() => Node.DisposeAsync();
    }

    /// <summary>The class's funded operator and its contract, and a data folder of the test's own: the settings that work.</summary>
    private Dictionary<string, string?> WorkingSettings()
    {
        var settings = RegistryProcess.Settings(network.Node.RpcUrl);
        settings["REGISTRY_OPERATOR_KEY"] = network.OperatorKey;
        settings["REGISTRY_CONTRACT"] = network.Contract;
        settings["REGISTRY_KEYSTORE_PASSWORD"] = Password;
        settings["REGISTRY_LIGHT_KDF"] = null;
        return settings;
    }

    [Fact]
    public async Task The_working_settings_start_the_registry_on_the_network()
    {
        var settings = WorkingSettings();
        await using var registry = RegistryProcess.Start(settings);
        var health = await registry.WaitForHealthAsync();
        Assert.Equal("ok", health["status"]!.GetValue<string>());
        Assert.Equal(AnvilNode.SepoliaChainId, health["chainId"]!.GetValue<long>());
        Assert.Equal(settings["REGISTRY_CONTRACT"], health["registry"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("REGISTRY_OPERATOR_KEY")]
    [InlineData("REGISTRY_CONTRACT")]
    [InlineData("REGISTRY_KEYSTORE_PASSWORD")]
    public async Task A_missing_setting_stops_the_registry_naming_it(string name)
    {
        var settings = WorkingSettings();
        settings[name] = null;
        var (exitCode, output) = await RegistryProcess.RunToExitAsync(settings);
        Assert.Equal(1, exitCode);
        Assert.Contains($"these must be set: {name}", output);
    }

    [Fact]
    public async Task A_public_development_key_stops_the_registry()
    {
        var settings = WorkingSettings();
        settings["REGISTRY_OPERATOR_KEY"] = DevelopmentChain.AccountKeys[3];
        var (exitCode, output) = await RegistryProcess.RunToExitAsync(settings);
        Assert.Equal(1, exitCode);
        Assert.Contains($"public development account {DevelopmentChain.AddressOf(DevelopmentChain.AccountKeys[3])}", output);
    }

    [Fact]
    public async Task The_light_key_derivation_stops_the_registry_off_the_local_chain()
    {
        var settings = WorkingSettings();
        settings["REGISTRY_LIGHT_KDF"] = "true";
        var (exitCode, output) = await RegistryProcess.RunToExitAsync(settings);
        Assert.Equal(1, exitCode);
        Assert.Contains($"Chain {AnvilNode.SepoliaChainId} is not the local chain, so REGISTRY_LIGHT_KDF must not be set", output);
    }

    [Fact]
    public async Task A_contract_address_without_code_stops_the_registry()
    {
        var settings = WorkingSettings();
        var empty = "0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        settings["REGISTRY_CONTRACT"] = empty;
        var (exitCode, output) = await RegistryProcess.RunToExitAsync(settings);
        Assert.Equal(1, exitCode);
        Assert.Contains($"REGISTRY_CONTRACT={empty} has no code on chain {AnvilNode.SepoliaChainId}", output);
    }

    [Fact]
    public async Task A_contract_that_is_not_a_version_2_registry_stops_the_registry()
    {
        var settings = WorkingSettings();
        var other = "0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        await network.Node.RpcAsync("anvil_setCode", other, "0x00"); // code, but no CredentialRegistry: a bare STOP
        settings["REGISTRY_CONTRACT"] = other;
        var (exitCode, output) = await RegistryProcess.RunToExitAsync(settings);
        Assert.Equal(1, exitCode);
        Assert.Contains("is not a CredentialRegistry; this registry needs version 3", output);
    }

    [Fact]
    public async Task An_operator_that_does_not_own_the_contract_stops_the_registry()
    {
        var settings = WorkingSettings();
        var (strangerKey, stranger) = await network.Node.NewFundedAccountAsync(1m);
        settings["REGISTRY_OPERATOR_KEY"] = strangerKey;
        var (exitCode, output) = await RegistryProcess.RunToExitAsync(settings);
        Assert.Equal(1, exitCode);
        Assert.Contains($"not by the operator account {stranger}", output);
    }

    [Fact]
    public async Task A_data_folder_of_another_chain_stops_the_registry()
    {
        // The data folder of a registry that ran on the local chain (in this process: only what it leaves matters here).
        await using var localNode = new LocalAnvilNode();
        await localNode.InitializeAsync();
        var dataDir = TempFolder.Create();
        await using (var local = new RegistryApp(localNode.RpcUrl, dataDir))
            Assert.Equal("ok", (await local.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!["status"]!.GetValue<string>());

        var settings = WorkingSettings();
        settings["REGISTRY_DATA_DIR"] = dataDir;
        var (exitCode, output) = await RegistryProcess.RunToExitAsync(settings);
        Assert.Equal(1, exitCode);
        Assert.Contains($"serves chain {AnvilNode.SepoliaChainId}, but the data folder {dataDir} belongs to chain 31337", output);
    }

    [Fact]
    public async Task A_node_that_cannot_be_reached_is_an_outage_the_registry_starts_through()
    {
        var settings = WorkingSettings();
        settings["REGISTRY_RPC_URL"] = $"http://127.0.0.1:{FreePorts.Next()}";
        await using var registry = RegistryProcess.Start(settings);
        var health = await registry.WaitForHealthAsync();
        Assert.Equal("degraded", health["status"]!.GetValue<string>());
        Assert.False(registry.HasExited);
    }

    [Fact]
    public async Task A_data_folder_of_a_network_needs_its_settings_even_while_the_node_is_down()
    {
        // A registry that ran on the network remembers its chain; the next start without a key stops at once.
        var settings = WorkingSettings();
        await using (var first = RegistryProcess.Start(settings))
            Assert.Equal("ok", (await first.WaitForHealthAsync())["status"]!.GetValue<string>());

        settings["REGISTRY_RPC_URL"] = $"http://127.0.0.1:{FreePorts.Next()}";
        settings["REGISTRY_OPERATOR_KEY"] = null;
        var (exitCode, output) = await RegistryProcess.RunToExitAsync(settings);
        Assert.Equal(1, exitCode);
        Assert.Contains($"Chain {AnvilNode.SepoliaChainId} is not the local chain, so these must be set: REGISTRY_OPERATOR_KEY", output);
    }

    [Fact]
    public async Task A_malformed_setting_stops_the_registry_as_bad_usage()
    {
        var settings = WorkingSettings();
        settings["REGISTRY_MAX_BATCH_SIZE"] = "lots";
        var (exitCode, output) = await RegistryProcess.RunToExitAsync(settings);
        Assert.Equal(2, exitCode);
        Assert.Contains("REGISTRY_MAX_BATCH_SIZE='lots' must be a whole number", output);
    }
}
