using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Network;

/// <summary>
/// The registry's settings come from the <c>Registry</c> section of <c>appsettings.json</c> and from the
/// environment (the documented REGISTRY_* variables, or <c>Registry__Key</c>); a variable wins over the
/// file. A value that cannot work stops the start with exit code 2 and a message that names it as it
/// was set. Each run is the registry's own program in a process, its content root a folder of the test's.
/// </summary>
public sealed class SettingsSourcesTests(LocalAnvilNode node) : IClassFixture<LocalAnvilNode>
{
    /// <summary>The settings of a run whose working folder holds <paramref name="appsettings"/> as its appsettings.json.</summary>
    private Dictionary<string, string?> Settings(string? appsettings = null)
    {
        var settings = RegistryProcess.Settings(node.RpcUrl);
        var folder = TempFolder.Create();
        if (appsettings is not null) File.WriteAllText(Path.Combine(folder, "appsettings.json"), appsettings);
        settings["ASPNETCORE_CONTENTROOT"] = folder;
        return settings;
    }

    private static async Task<string?> ShownNameAsync(Dictionary<string, string?> settings)
    {
        await using var registry = RegistryProcess.Start(settings);
        Assert.Equal("ok", (await registry.WaitForHealthAsync())["status"]!.GetValue<string>());
        using var http = new HttpClient { BaseAddress = registry.Url };
        var own = Assert.Single((await http.GetFromJsonAsync<JsonArray>("/trusted.json"))!)!;
        return own["name"]?.GetValue<string>();
    }

    [Fact]
    public async Task A_setting_in_appsettings_json_is_read()
    {
        var settings = Settings("""{ "Registry": { "Name": "Registry of the settings file" } }""");
        Assert.Equal("Registry of the settings file", await ShownNameAsync(settings));
    }

    [Fact]
    public async Task A_setting_in_the_environment_is_read()
    {
        var settings = Settings();
        settings["REGISTRY_NAME"] = "Registry of the environment";
        Assert.Equal("Registry of the environment", await ShownNameAsync(settings));
    }

    [Fact]
    public async Task The_section_s_own_variable_is_read_too()
    {
        var settings = Settings();
        settings["Registry__Name"] = "Registry of the section's variable";
        Assert.Equal("Registry of the section's variable", await ShownNameAsync(settings));
    }

    [Fact]
    public async Task A_variable_wins_over_appsettings_json()
    {
        var settings = Settings("""{ "Registry": { "Name": "Registry of the settings file" } }""");
        settings["REGISTRY_NAME"] = "Registry of the environment";
        Assert.Equal("Registry of the environment", await ShownNameAsync(settings));
    }

    [Fact]
    public async Task An_empty_variable_counts_as_unset()
    {
        var settings = Settings("""{ "Registry": { "Name": "Registry of the settings file" } }""");
        settings["REGISTRY_NAME"] = "";
        Assert.Equal("Registry of the settings file", await ShownNameAsync(settings));
    }

    [Theory]
    [InlineData("REGISTRY_MAX_BATCH_SIZE", "0", "REGISTRY_MAX_BATCH_SIZE='0' must be a whole number from 1 to 1048576.")]
    [InlineData("REGISTRY_MAX_DELAY_SECONDS", "soon", "REGISTRY_MAX_DELAY_SECONDS='soon' must be a whole number from 0 to 604800.")]
    [InlineData("REGISTRY_MAX_FEE_GWEI", "-1", "REGISTRY_MAX_FEE_GWEI='-1' must be a non-negative decimal number such as 0.05.")]
    [InlineData("REGISTRY_RPC_URL", "ftp://127.0.0.1:8545", "REGISTRY_RPC_URL='ftp://127.0.0.1:8545' must be an absolute http(s) URL.")]
    [InlineData("REGISTRY_CONTRACT", "0x1234", "REGISTRY_CONTRACT='0x1234' must be a 0x-prefixed 20-byte contract address.")]
    [InlineData("REGISTRY_TRUSTED", "1:0x12=http://x", "REGISTRY_TRUSTED='1:0x12=http://x' must be a comma-separated list of chainId:address=rpcUrl")]
    [InlineData("REGISTRY_PUBLIC_URL", "registry.example.org", "REGISTRY_PUBLIC_URL='registry.example.org' must be an absolute http(s) URL without query or fragment")]
    [InlineData("REGISTRY_PUBLIC_URL", "https://registry.example.org/?tenant=1", "REGISTRY_PUBLIC_URL='https://registry.example.org/?tenant=1' must be an absolute http(s) URL without query or fragment")]
    [InlineData("REGISTRY_PUBLIC_URL", "ftp://registry.example.org", "REGISTRY_PUBLIC_URL='ftp://registry.example.org' must be an absolute http(s) URL without query or fragment")]
    [InlineData("REGISTRY_TOPUP_BELOW", "0.01", "REGISTRY_TOPUP_BELOW needs REGISTRY_TOPUP_AMOUNT: how much the operator sends.")]
    public async Task A_bad_variable_stops_the_start_naming_it(string name, string value, string message)
    {
        var settings = Settings();
        settings[name] = value;
        var (exitCode, output) = await RegistryProcess.RunToExitAsync(settings);
        Assert.Equal(2, exitCode);
        Assert.Contains($"The registry cannot start: {message}", output);
    }

    [Fact]
    public async Task A_bad_value_in_appsettings_json_stops_the_start_naming_its_key()
    {
        var settings = Settings("""{ "Registry": { "MaxBatchSize": "lots" } }""");
        var (exitCode, output) = await RegistryProcess.RunToExitAsync(settings);
        Assert.Equal(2, exitCode);
        Assert.Contains("Registry:MaxBatchSize='lots' must be a whole number from 1 to 1048576.", output);
    }

    [Fact]
    public async Task Each_bad_value_is_named_at_once()
    {
        var settings = Settings("""{ "Registry": { "ReplaceAfterBlocks": 0 } }""");
        settings["REGISTRY_VERIFY_RATE_LIMIT"] = "-5";
        var (exitCode, output) = await RegistryProcess.RunToExitAsync(settings);
        Assert.Equal(2, exitCode);
        Assert.Contains("Registry:ReplaceAfterBlocks='0' must be a whole number from 1 to 10000.", output);
        Assert.Contains("REGISTRY_VERIFY_RATE_LIMIT='-5' must be a whole number from 0 to 2147483647.", output);
    }

    [Fact]
    public async Task The_command_line_reads_the_chain_settings_by_the_same_rules()
    {
        var (exitCode, output) = await Cli.CliTests.RunWithEnvironmentAsync(
            new Dictionary<string, string?> { ["REGISTRY_CONTRACT"] = "0x1234" }, "audit", "--rpc", node.RpcUrl.ToString());
        Assert.Equal(2, exitCode);
        Assert.Contains("REGISTRY_CONTRACT='0x1234' must be a 0x-prefixed 20-byte contract address.", output);

        (exitCode, output) = await Cli.CliTests.RunWithEnvironmentAsync(new Dictionary<string, string?>(), "audit", "--rpc", "ftp://x", "--registry", "0x1234");
        Assert.Equal(2, exitCode);
        Assert.Contains("--rpc='ftp://x' must be an absolute http(s) URL.", output);
        Assert.Contains("--registry='0x1234' must be a 0x-prefixed 20-byte contract address.", output);
    }
}
