using System.Globalization;
using Registry.Identity;

namespace Registry.Verification;

/// <summary>One entry of <c>REGISTRY_TRUSTED</c>: <c>chainId:address=rpcUrl</c>.</summary>
public sealed record TrustedRegistrySetting(long ChainId, string Contract, Uri RpcUrl)
{
    /// <summary>Parses a comma-separated list; throws <see cref="FormatException"/> naming the bad entry.</summary>
    public static IReadOnlyList<TrustedRegistrySetting> ParseList(string? setting)
    {
        var entries = new List<TrustedRegistrySetting>();
        if (string.IsNullOrWhiteSpace(setting)) return entries;
        foreach (var raw in setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = raw.IndexOf('=');
            var colon = raw.IndexOf(':');
            if (equals < 0 || colon < 0 || colon > equals)
                throw new FormatException($"Trusted registry '{raw}' is not of the form chainId:address=rpcUrl.");
            if (!long.TryParse(raw[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var chainId) || chainId <= 0)
                throw new FormatException($"Trusted registry '{raw}' has a bad chain id.");
            var address = raw[(colon + 1)..equals];
            if (!IssuerDid.IsAddress(address))
                throw new FormatException($"Trusted registry '{raw}' has a bad contract address.");
            if (!Uri.TryCreate(raw[(equals + 1)..], UriKind.Absolute, out var rpc) || (rpc.Scheme != "http" && rpc.Scheme != "https"))
                throw new FormatException($"Trusted registry '{raw}' has a bad RPC URL.");
            entries.Add(new TrustedRegistrySetting(chainId, address.ToLowerInvariant(), rpc));
        }
        return entries;
    }
}
