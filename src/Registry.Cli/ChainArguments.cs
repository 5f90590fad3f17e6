using Registry.Identity;
using Registry.Web;

namespace Registry.Cli;

/// <summary>
/// The chain a command reads: <c>--rpc</c> (or REGISTRY_RPC_URL, else the local node) and
/// <c>--registry</c> (or REGISTRY_CONTRACT), checked the same way by every command.
/// </summary>
public sealed record ChainArguments(Uri RpcUrl, string? Registry)
{
    /// <summary>The <c>--rpc</c> option, said the same way by every command.</summary>
    public static System.CommandLine.Option<string?> RpcOption() =>
        new("--rpc") { Description = $"Ethereum JSON-RPC URL (default: REGISTRY_RPC_URL or {HttpUrl.Origin(HttpUrl.DefaultRpc)})." };

    /// <summary>The arguments with their defaults applied, or a message saying which one is malformed.</summary>
    public static (ChainArguments? Arguments, string? Problem) Resolve(string? rpc, string? registry)
    {
        var (rpcUrl, rpcProblem) = ResolveRpc(rpc);
        if (rpcUrl is null) return (null, rpcProblem);
        registry ??= Environment.GetEnvironmentVariable("REGISTRY_CONTRACT") is { Length: > 0 } envContract ? envContract : null;
        if (registry is not null && !IssuerDid.IsAddress(registry))
            return (null, $"--registry '{registry}' is not a 0x-prefixed contract address.");
        return (new ChainArguments(rpcUrl, registry), null);
    }

    /// <summary><c>--rpc</c> alone, for a command that needs no contract: the URL, or a message saying it is malformed.</summary>
    public static (Uri? RpcUrl, string? Problem) ResolveRpc(string? rpc)
    {
        rpc ??= Environment.GetEnvironmentVariable("REGISTRY_RPC_URL") is { Length: > 0 } envRpc ? envRpc : HttpUrl.DefaultRpc.ToString();
        if (!HttpUrl.TryParse(rpc, out var rpcUrl))
            return (null, $"--rpc '{rpc}' is not an http(s) URL.");
        return (rpcUrl, null);
    }
}
