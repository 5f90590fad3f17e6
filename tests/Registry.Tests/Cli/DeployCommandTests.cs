using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Registry.Chain;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Cli;

/// <summary>
/// `registry deploy` run as a process against a real Anvil node standing in for a public network
/// (chain 11155111), where only keys of one's own are accepted.
/// </summary>
public sealed class DeployCommandTests(AnvilNode anvil) : IClassFixture<AnvilNode>
{
    [Fact]
    public async Task Deploy_with_the_key_in_the_environment_prints_the_address_and_the_mined_transaction()
    {
        var (key, account) = await anvil.NewFundedAccountAsync(1m);

        var result = await CliTests.RunWithEnvironmentAsync(new Dictionary<string, string?>
        {
            ["REGISTRY_OPERATOR_KEY"] = key,
            ["REGISTRY_RPC_URL"] = anvil.RpcUrl.ToString(),
        }, "deploy");

        Assert.True(result.ExitCode == 0, result.Output);
        var address = result.Output.Split('\n')[0].Trim(); // standard output, the address alone, comes first
        Assert.Matches("^0x[0-9a-f]{40}$", address);
        var transaction = Printed(result.Output, "transaction", "0x[0-9a-f]{64}");
        await AssertDeployedAsync(address, transaction, account,
            long.Parse(Printed(result.Output, "block", "[0-9]+"), CultureInfo.InvariantCulture),
            long.Parse(Printed(result.Output, "gas used", "[0-9]+"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Deploy_with_the_key_in_a_private_file_prints_json_that_matches_the_receipt()
    {
        var (key, account) = await anvil.NewFundedAccountAsync(1m);
        var file = PrivateKeyFile($"\n  {key}  \n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var (otherKey, _) = await anvil.NewFundedAccountAsync(1m);

        // The file given on the command line wins over the environment.
        var result = await CliTests.RunWithEnvironmentAsync(new Dictionary<string, string?> { ["REGISTRY_OPERATOR_KEY"] = otherKey },
            "deploy", "--rpc", anvil.RpcUrl.ToString(), "--key-file", file, "--json");

        Assert.True(result.ExitCode == 0, result.Output);
        var printed = JsonDocument.Parse(result.Output.Split('\n')[0]).RootElement;
        Assert.Equal(account, printed.GetProperty("operator").GetString());
        Assert.Equal(AnvilNode.SepoliaChainId, printed.GetProperty("chainId").GetInt64());
        await AssertDeployedAsync(printed.GetProperty("address").GetString()!, printed.GetProperty("transactionHash").GetString()!, account,
            printed.GetProperty("blockNumber").GetInt64(), printed.GetProperty("gasUsed").GetInt64());
    }

    [Fact]
    public async Task Deploy_refuses_a_key_file_that_other_users_can_read()
    {
        var (key, account) = await anvil.NewFundedAccountAsync(1m);
        var file = PrivateKeyFile(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = await CliTests.RunAsync("deploy", "--rpc", anvil.RpcUrl.ToString(), "--key-file", file);

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains("chmod 600", result.Output);
        Assert.Equal(0, await NonceAsync(account));
    }

    [Fact]
    public async Task Deploy_from_an_unfunded_key_fails_naming_the_account_its_balance_and_the_shortfall()
    {
        var (key, account) = await anvil.NewFundedAccountAsync(0.0001m);

        var result = await CliTests.RunAsync("deploy", "--rpc", anvil.RpcUrl.ToString(), "--key", key);

        Assert.True(result.ExitCode == 1, result.Output);
        Assert.Contains($"Account {account} cannot pay", result.Output);
        var holds = Ether(result.Output, "holds");
        var needs = Ether(result.Output, "needs about");
        var shortfall = Ether(result.Output, "at least");
        Assert.Equal(0.0001m, holds);
        Assert.True(needs > holds, result.Output);
        Assert.Equal(needs - holds, shortfall);
        Assert.Equal(0, await NonceAsync(account));
    }

    [Fact]
    public async Task Deploy_refuses_a_public_development_key_off_the_local_chain_naming_the_account()
    {
        // Anvil funds this account, so only the refusal can stop the deployment.
        var key = DevelopmentChain.AccountKeys[3];
        var account = DevelopmentChain.AddressOf(key);

        var result = await CliTests.RunWithEnvironmentAsync(new Dictionary<string, string?> { ["REGISTRY_OPERATOR_KEY"] = key },
            "deploy", "--rpc", anvil.RpcUrl.ToString());

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains($"Refusing account {account} on chain {AnvilNode.SepoliaChainId}", result.Output);
        Assert.Contains("REGISTRY_OPERATOR_KEY", result.Output);
        Assert.Equal(0, await NonceAsync(account));
    }

    [Fact]
    public async Task Deploy_without_a_key_is_bad_usage()
    {
        var result = await CliTests.RunAsync("deploy", "--rpc", anvil.RpcUrl.ToString());
        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains("No operator key", result.Output);
    }

    [Fact]
    public async Task Deploy_with_a_malformed_key_in_the_environment_says_where_it_came_from_without_printing_it()
    {
        const string secret = "0x1234secret";
        var result = await CliTests.RunWithEnvironmentAsync(new Dictionary<string, string?> { ["REGISTRY_OPERATOR_KEY"] = secret },
            "deploy", "--rpc", anvil.RpcUrl.ToString());
        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains("from REGISTRY_OPERATOR_KEY is malformed", result.Output);
        Assert.DoesNotContain(secret, result.Output);
    }

    [Fact]
    public async Task Deploy_with_both_key_and_key_file_is_bad_usage()
    {
        var (key, account) = await anvil.NewFundedAccountAsync(1m);
        var file = PrivateKeyFile(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var result = await CliTests.RunAsync("deploy", "--rpc", anvil.RpcUrl.ToString(), "--key", key, "--key-file", file);
        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Equal(0, await NonceAsync(account));
    }

    /// <summary>Checks against the node that a contract was deployed at <paramref name="address"/> by the printed transaction, block and gas.</summary>
    private async Task AssertDeployedAsync(string address, string transaction, string account, long block, long gasUsed)
    {
        var code = (await anvil.RpcAsync("eth_getCode", address, "latest")).GetString();
        Assert.False(string.IsNullOrEmpty(code) || code == "0x", $"no code at {address}");
        var receipt = await anvil.RpcAsync("eth_getTransactionReceipt", transaction);
        Assert.Equal(address, receipt.GetProperty("contractAddress").GetString(), ignoreCase: true);
        Assert.Equal(account, receipt.GetProperty("from").GetString(), ignoreCase: true);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal(block, Quantity(receipt.GetProperty("blockNumber")));
        Assert.Equal(gasUsed, Quantity(receipt.GetProperty("gasUsed")));
    }

    private async Task<long> NonceAsync(string account) => Quantity(await anvil.RpcAsync("eth_getTransactionCount", account, "latest"));

    private static long Quantity(JsonElement hex) => Convert.ToInt64(hex.GetString(), 16);

    private static string PrivateKeyFile(string contents, UnixFileMode mode)
    {
        var file = Path.Combine(TempFolder.Create(), "operator.key");
        File.WriteAllText(file, contents);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, mode); // the scripts, and so the suite, run on Linux and macOS
        return file;
    }

    /// <summary>The value printed after "<paramref name="label"/>:" on a line of the deployment's report.</summary>
    private static string Printed(string output, string label, string pattern)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(label)}:\s+({pattern})\b", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{label}' in:\n{output}");
        return match.Groups[1].Value;
    }

    /// <summary>The amount of ether that follows <paramref name="words"/> in the message.</summary>
    private static decimal Ether(string output, string words)
    {
        var match = Regex.Match(output, $@"{Regex.Escape(words)} ([0-9.]+) ETH");
        Assert.True(match.Success, $"no '{words} … ETH' in:\n{output}");
        return decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
