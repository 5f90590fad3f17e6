using System.Text;
using System.Text.Json;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Contracts;
using Nethereum.JsonRpc.Client;
using Registry.Chain.Contract;
using Registry.Hashing;

namespace Registry.Chain;

/// <summary>The contract refused a transaction; <see cref="ErrorName"/> is its custom error, when it gave one.</summary>
public sealed class ContractRevertedException(string? errorName, string message, Exception inner) : Exception(message, inner)
{
    public string? ErrorName { get; } = errorName;

    private static readonly Lazy<Dictionary<string, string>> ErrorsBySelector = new(() =>
    {
        var errors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var abi = JsonDocument.Parse(ContractArtifact.Abi);
        foreach (var item in abi.RootElement.EnumerateArray())
        {
            if (item.GetProperty("type").GetString() != "error") continue;
            var name = item.GetProperty("name").GetString()!;
            var types = item.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("type").GetString());
            var selector = Keccak256.Hash(Encoding.ASCII.GetBytes($"{name}({string.Join(',', types)})")).ToString()[..10];
            errors[selector] = name;
        }
        return errors;
    });

    /// <summary>Turns Nethereum's revert exceptions into this one; returns null for anything else.</summary>
    public static ContractRevertedException? From(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SmartContractCustomErrorRevertException custom:
                    return Named(custom.ExceptionEncodedData, exception);
                case SmartContractRevertException revert:
                    return new ContractRevertedException(null, $"The contract reverted: {revert.RevertMessage}", exception);
                case RpcResponseException rpc when rpc.RpcError?.Message?.Contains("revert", StringComparison.OrdinalIgnoreCase) == true:
                    return Named(rpc.RpcError.Data?.ToString(), exception) ?? new ContractRevertedException(null, rpc.RpcError.Message, exception);
            }
        }
        return null;
    }

    private static ContractRevertedException? Named(string? data, Exception exception)
    {
        if (data is null || data.Length < 10 || !data.StartsWith("0x", StringComparison.Ordinal)) return null;
        var name = ErrorsBySelector.Value.GetValueOrDefault(data[..10]);
        return new ContractRevertedException(name, $"The contract reverted with {name ?? data[..10]}.", exception);
    }
}
