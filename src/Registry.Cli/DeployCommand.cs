using System.CommandLine;
using System.Text.Json;
using Registry.Chain;

namespace Registry.Cli;

/// <summary>
/// <c>registry deploy [--rpc URL] [--key KEY | --key-file FILE] [--json]</c>: deploys a CredentialRegistry
/// owned by the operator key's account. The key comes from <c>--key</c>, <c>--key-file</c> or
/// REGISTRY_OPERATOR_KEY, in that order. Standard output gets the contract address alone (or, with
/// <c>--json</c>, one line of JSON), so a script can capture it; the account, chain, transaction, block
/// and gas go to standard error.
/// </summary>
public static class DeployCommand
{
    public const string KeyVariable = "REGISTRY_OPERATOR_KEY";

    /// <summary>A key file is a few dozen bytes; anything much larger is not one.</summary>
    private const long MaxKeyFileBytes = 4096;

    /// <summary>Group and others may neither read nor write a key file, as ssh requires of its keys.</summary>
    private const UnixFileMode SharedBits = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static Command Create()
    {
        var rpc = ChainArguments.RpcOption();
        var key = new Option<string?>("--key")
        {
            Description = "The operator's private key (hex): the account that pays for the deployment, owns the contract and admits issuers. "
                + "Other users of the machine can see it in the process list; prefer --key-file or " + KeyVariable + ".",
        };
        var keyFile = new Option<FileInfo?>("--key-file") { Description = "A file holding the operator's private key (hex), readable by its owner only (chmod 600)." };
        var json = new Option<bool>("--json") { Description = "Print the deployment as one line of JSON instead of the address alone." };
        var command = new Command("deploy",
            "Deploy the CredentialRegistry contract and print its address. The key comes from --key, --key-file or " + KeyVariable + ".")
        {
            rpc, key, keyFile, json,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(rpc), parse.GetValue(key), parse.GetValue(keyFile), parse.GetValue(json)));
        return command;
    }

    private static async Task<int> RunAsync(string? rpc, string? keyOption, FileInfo? keyFile, bool asJson)
    {
        var (chain, rpcProblem) = ChainArguments.Resolve(rpc);
        if (chain is null) return ExitCodes.Usage(rpcProblem!);
        var rpcUrl = chain.RpcUrl;
        var (key, source, keyProblem) = ReadKey(keyOption, keyFile, chain.OperatorKey);
        if (key is null) return ExitCodes.Usage(keyProblem!);
        string operatorAddress;
        try
        {
            operatorAddress = DevelopmentChain.AddressOf(key);
        }
        catch (FormatException e)
        {
            // The key itself is never printed: it is a secret even when malformed.
            return ExitCodes.Usage($"The operator key from {source} is malformed: {e.Message}");
        }

        var connection = new ChainConnection(rpcUrl);
        long chainId;
        try
        {
            chainId = await connection.GetChainIdAsync();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Cannot reach the Ethereum node at {rpcUrl}: {e.Message}");
            return ExitCodes.Failed;
        }
        try
        {
            DevelopmentChain.RefusePublicKeyOffLocalChain(key, chainId);
        }
        catch (InvalidOperationException e)
        {
            return ExitCodes.Usage($"{e.Message} (The key came from {source}.)");
        }

        Console.Error.WriteLine($"Deploying CredentialRegistry on chain {chainId} at {rpcUrl}");
        Console.Error.WriteLine($"  operator:    {operatorAddress} (key from {source})");
        DeployedContract deployed;
        try
        {
            deployed = await RegistryWriter.DeployAsync(connection, key, chainId,
                sent: hash => Console.Error.WriteLine($"  transaction: {hash} (waiting for it to be mined)"));
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e.Message.Contains(operatorAddress, StringComparison.OrdinalIgnoreCase)
                ? $"Deployment failed: {e.Message}"
                : $"Deployment from {operatorAddress} failed: {e.Message}");
            return ExitCodes.Failed;
        }

        Console.Error.WriteLine($"  block:       {deployed.BlockNumber}");
        Console.Error.WriteLine($"  gas used:    {deployed.GasUsed}");
        Console.Error.WriteLine($"  address:     {deployed.Address}");
        Console.WriteLine(asJson
            ? JsonSerializer.Serialize(new
            {
                address = deployed.Address,
                transactionHash = deployed.TransactionHash,
                blockNumber = deployed.BlockNumber,
                gasUsed = deployed.GasUsed,
                @operator = operatorAddress,
                chainId,
            })
            : deployed.Address);
        return 0;
    }

    /// <summary>The operator key and where it came from, or a message saying why there is none.</summary>
    private static (string? Key, string Source, string? Problem) ReadKey(string? keyOption, FileInfo? keyFile, string? fromEnvironment)
    {
        if (keyOption is not null && keyFile is not null)
            return (null, "", "Give the operator key once: --key or --key-file, not both.");
        if (keyOption is not null) return (keyOption.Trim(), "--key", null);
        if (keyFile is null)
        {
            return fromEnvironment is not null
                ? (fromEnvironment.Trim(), KeyVariable, null)
                : (null, "", $"No operator key: give --key-file FILE, set {KeyVariable}, or give --key KEY.");
        }

        var source = $"--key-file {keyFile}"; // as given: the operator recognises it
        if (!keyFile.Exists) return (null, source, $"{source}: no such file.");
        if (!OperatingSystem.IsWindows() && (keyFile.UnixFileMode & SharedBits) != 0)
        {
            return (null, source, $"{source}: other users of this machine can read or change it (mode {Convert.ToString((int)keyFile.UnixFileMode, 8)}). "
                + $"Make it private with `chmod 600 {keyFile}`.");
        }
        if (keyFile.Length > MaxKeyFileBytes) return (null, source, $"{source}: {keyFile.Length} bytes is too large for a private key.");
        try
        {
            return (File.ReadAllText(keyFile.FullName).Trim(), source, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, source, $"{source}: cannot read it: {e.Message}");
        }
    }
}
