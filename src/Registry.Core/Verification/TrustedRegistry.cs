using System.Globalization;
using System.Text.Json.Nodes;
using Registry.Identity;
using Registry.Web;

namespace Registry.Verification;

/// <summary>
/// A registry a verifier trusts: a contract on a chain, the node to read it through, and the name to show.
/// A null chain id trusts the contract on whatever chain its node serves (the CLI's <c>--registry</c> with
/// <c>--rpc</c>); a null RPC URL means the registry is trusted but no node to read it is known.
/// It is written two ways: <c>chainId:address=rpcUrl</c> in <c>REGISTRY_TRUSTED</c>, and
/// <c>{"chainId", "registry", "rpcUrl", "name"}</c> in a verifier page's <c>trusted.json</c>.
/// </summary>
public sealed record TrustedRegistry(long? ChainId, string Contract, Uri? RpcUrl = null, string? Name = null)
{
    public string Contract { get; init; } = Contract.ToLowerInvariant();

    /// <summary>True when this entry trusts <paramref name="contract"/> on <paramref name="chainId"/>.</summary>
    public bool Trusts(long chainId, string contract) =>
        string.Equals(Contract, contract, StringComparison.OrdinalIgnoreCase) && (ChainId is null || ChainId == chainId);

    public override string ToString() => ChainId is { } id ? $"{id}:{Contract}" : $"{Contract} (on the chain of its RPC)";

    /// <summary>Parses <c>REGISTRY_TRUSTED</c>, a comma-separated list; throws <see cref="FormatException"/> naming the bad entry.</summary>
    public static IReadOnlyList<TrustedRegistry> ParseSetting(string? setting)
    {
        var entries = new List<TrustedRegistry>();
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
            if (!HttpUrl.TryParse(raw[(equals + 1)..], out var rpc))
                throw new FormatException($"Trusted registry '{raw}' has a bad RPC URL.");
            entries.Add(new TrustedRegistry(chainId, address, rpc));
        }
        return entries;
    }

    /// <summary>Reads a <c>trusted.json</c> list; throws <see cref="FormatException"/> naming the first bad entry.</summary>
    public static IReadOnlyList<TrustedRegistry> ParseJson(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"The list of trusted registries is not JSON: {e.Message}");
        }
        if (root is not JsonArray array) throw new FormatException("The list of trusted registries is not a JSON array.");
        return array.Select(FromJson).ToList();
    }

    public JsonObject ToJson() => new()
    {
        ["chainId"] = ChainId,
        ["registry"] = Contract,
        ["rpcUrl"] = RpcUrl?.ToString(),
        ["name"] = Name,
    };

    public static JsonArray ToJson(IEnumerable<TrustedRegistry> entries) => new(entries.Select(e => (JsonNode)e.ToJson()).ToArray());

    private static TrustedRegistry FromJson(JsonNode? node, int index)
    {
        if (node is not JsonObject entry) throw new FormatException($"Trusted registry {index} is not an object.");
        long? chainId = null;
        if (entry["chainId"] is { } id)
        {
            if (id is not JsonValue value || !value.TryGetValue<long>(out var number) || number <= 0)
                throw new FormatException($"Trusted registry {index} has a bad chainId.");
            chainId = number;
        }
        var registry = Text(entry, "registry");
        if (!IssuerDid.IsAddress(registry)) throw new FormatException($"Trusted registry {index} has a bad registry address.");
        Uri? rpc = null;
        if (Text(entry, "rpcUrl") is { Length: > 0 } url && !HttpUrl.TryParse(url, out rpc))
            throw new FormatException($"Trusted registry {index} has a bad rpcUrl.");
        return new TrustedRegistry(chainId, registry!, rpc, Text(entry, "name"));
    }

    private static string? Text(JsonObject entry, string field) =>
        entry[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
