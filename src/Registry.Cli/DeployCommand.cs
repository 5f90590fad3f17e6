using System.CommandLine;
using Registry.Chain;

namespace Registry.Cli;

/// <summary><c>registry deploy --rpc URL --key KEY</c>: deploys a CredentialRegistry owned by KEY's account.</summary>
public static class DeployCommand
{
    public static Command Create()
    {
        var rpc = new Option<string>("--rpc") { Description = "Ethereum JSON-RPC URL.", Required = true };
        var key = new Option<string>("--key") { Description = "The operator's private key (hex); the account that admits issuers.", Required = true };
        var command = new Command("deploy", "Deploy the CredentialRegistry contract and print its address.") { rpc, key };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(rpc)!, parse.GetValue(key)!));
        return command;
    }

    private static async Task<int> RunAsync(string rpc, string key)
    {
        if (!Uri.TryCreate(rpc, UriKind.Absolute, out var rpcUrl) || rpcUrl.Scheme is not ("http" or "https"))
        {
            Console.Error.WriteLine($"--rpc '{rpc}' is not an http(s) URL.");
            return ExitCodes.BadUsage;
        }
        string operatorAddress;
        try
        {
            operatorAddress = DevelopmentChain.AddressOf(key);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"--key: {e.Message}");
            return ExitCodes.BadUsage;
        }
        try
        {
            var connection = new ChainConnection(rpcUrl);
            var chainId = await connection.GetChainIdAsync();
            var address = await RegistryWriter.DeployAsync(connection, key, chainId);
            Console.Error.WriteLine($"Deployed CredentialRegistry on chain {chainId}, operator {operatorAddress}:");
            Console.WriteLine(address);
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Deployment failed: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
