using Registry.Settings;
using Registry.Web;

namespace Registry.Cli;

/// <summary>
/// The chain a command reads: the registry's own <see cref="ChainSettings"/> (REGISTRY_RPC_URL, else the
/// local node, and REGISTRY_CONTRACT) with <c>--rpc</c> and <c>--registry</c> laid over them, checked
/// by the same rules as the registry's.
/// </summary>
public static class ChainArguments
{
    /// <summary>The <c>--rpc</c> option, said the same way by every command.</summary>
    public static System.CommandLine.Option<string?> RpcOption() =>
        new("--rpc") { Description = $"Ethereum JSON-RPC URL (default: REGISTRY_RPC_URL or {HttpUrl.Origin(HttpUrl.DefaultRpc)})." };

    /// <summary>The settings, or a message naming each malformed one as it was given.</summary>
    public static (ChainSettings? Settings, string? Problem) Resolve(string? rpc, string? registry = null)
    {
        var (settings, problems) = ChainSettings.FromEnvironment(
            ("--rpc", nameof(ChainSettings.RpcUrl), rpc),
            ("--registry", nameof(ChainSettings.Contract), registry));
        return settings is null ? (null, string.Join(Environment.NewLine, problems)) : (settings, null);
    }
}
