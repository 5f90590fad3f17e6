using System.Text.Json.Nodes;
using Registry.Identity;

namespace Registry.Verification.Rpc;

/// <summary>
/// One entry of a verifier page's <c>trusted.json</c>: <c>{"chainId": 31337, "registry": "0x…", "rpcUrl": "http://…", "name": "…"}</c>.
/// A null chain id trusts the contract on whatever chain its RPC serves (as the CLI's <c>--registry</c> with
/// <c>--rpc</c>); a null RPC URL means the host trusts the registry but publishes no node to read it through.
/// </summary>
public sealed record TrustedRegistryEntry(long? ChainId, string Registry, Uri? RpcUrl, string? Name)
{
    public JsonObject ToJson() => new()
    {
        ["chainId"] = ChainId,
        ["registry"] = Registry,
        ["rpcUrl"] = RpcUrl?.ToString(),
        ["name"] = Name,
    };

    public static JsonArray ToJson(IEnumerable<TrustedRegistryEntry> entries) => new(entries.Select(e => (JsonNode)e.ToJson()).ToArray());

    /// <summary>Reads a list; throws <see cref="FormatException"/> naming the first bad entry.</summary>
    public static IReadOnlyList<TrustedRegistryEntry> ParseList(string json)
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
        return array.Select((node, i) => Parse(node, i)).ToList();
    }

    private static TrustedRegistryEntry Parse(JsonNode? node, int index)
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
        if (Text(entry, "rpcUrl") is { Length: > 0 } url && !TryParseRpcUrl(url, out rpc))
            throw new FormatException($"Trusted registry {index} has a bad rpcUrl.");
        return new TrustedRegistryEntry(chainId, registry!.ToLowerInvariant(), rpc, Text(entry, "name"));
    }

    /// <summary>An absolute http or https URL.</summary>
    public static bool TryParseRpcUrl(string? text, out Uri? url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    private static string? Text(JsonObject entry, string field) =>
        entry[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
