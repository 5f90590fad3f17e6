using System.Text.Json.Nodes;
using Registry.Identity;

namespace Registry.Credentials;

/// <summary>
/// The second <c>credentialStatus</c> entry of every portable credential (the first is its
/// <see cref="StatusListEntry"/>): type <c>EthereumRevocationRegistry2026</c>,
/// naming where its revocation status lives: the chain, the contract, and the issuer whose
/// <c>revocationOf(issuer, digest)</c> answers for it. The registry writes it at submission, so the digest
/// covers it; a verifier requires it to agree with the proof's anchor and the credential's issuer.
/// </summary>
public sealed record CredentialStatusEntry(long ChainId, string Registry, IssuerDid Issuer)
{
    public const string StatusType = "EthereumRevocationRegistry2026";

    private static readonly HashSet<string> Fields = ["type", "chainId", "registry", "issuer"];

    public static CredentialStatusEntry For(IssuerDid issuer, string registry) => new(issuer.ChainId, IssuerDid.NormalizeAddress(registry), issuer);

    public JsonObject ToJson() => new()
    {
        ["type"] = StatusType,
        ["chainId"] = ChainId,
        ["registry"] = Registry,
        ["issuer"] = Issuer.ToString(),
    };

    /// <summary>
    /// Reads the <c>credentialStatus</c> of an issued credential, exactly two entries: the
    /// <see cref="StatusListEntry"/> that standard wallets read, then this chain entry, which is returned.
    /// Names every malformed field; never throws on hostile input.
    /// </summary>
    public static CredentialStatusEntry? TryParse(JsonNode? node, ValidationErrors errors)
    {
        if (node is not JsonArray { Count: >= 2 } entries)
        {
            errors.Add("/credentialStatus", node is null
                ? $"credentialStatus is required: a {StatusListEntry.EntryType} entry, then a {StatusType} entry naming the chain, contract and issuer of the credential's status."
                : $"credentialStatus must be an array: a {StatusListEntry.EntryType}, then a {StatusType}, then any entries of the issuer's own.");
            return null;
        }
        var list = StatusListEntry.TryParse(entries[0], "/credentialStatus/0", errors);
        var chain = TryParseChainEntry(entries[1], errors);
        for (var i = 2; i < entries.Count; i++)
            if (entries[i] is not JsonObject { } entry || !entry.ContainsKey("type"))
                errors.Add($"/credentialStatus/{i}", "each further credentialStatus entry, the issuer's own, must be an object with a type.");
        return list is null ? null : chain;
    }

    /// <summary>
    /// The entries an issuer gave in its submission's <c>credentialStatus</c> (one object or an array of them), which the
    /// registry keeps after its own two: copies, in their order; none when it gave none.
    /// </summary>
    public static IEnumerable<JsonNode?> IssuerEntriesOf(JsonNode? submitted) => submitted switch
    {
        JsonArray list => list.Select(entry => entry?.DeepClone()),
        JsonObject one => [one.DeepClone()],
        _ => [],
    };

    /// <summary>
    /// What a verifier of the registry says of the entries after its own two in an issued credential's <c>credentialStatus</c>:
    /// statuses of the issuer's own kind, which it neither reads nor updates; null when there are none.
    /// </summary>
    public static string? UncheckedNote(JsonNode? credentialStatus)
    {
        const int registrys = 2;
        if (credentialStatus is not JsonArray entries || entries.Count <= registrys) return null;
        var types = entries.Skip(registrys).Select(e => e?["type"]?.ToJsonString() ?? "(no type)");
        var count = entries.Count - registrys;
        return $"Its credentialStatus also holds {count} entr{(count == 1 ? "y" : "ies")} of its issuer's own " +
            $"({string.Join(", ", types)}), which this verifier does not check.";
    }

    private static CredentialStatusEntry? TryParseChainEntry(JsonNode? node, ValidationErrors errors)
    {
        const string at = "/credentialStatus/1";
        if (node is not JsonObject status)
        {
            errors.Add(at, $"the second credentialStatus entry must be one {StatusType} object.");
            return null;
        }
        foreach (var (name, _) in status)
            if (!Fields.Contains(name))
                errors.Add($"{at}/{FieldPointer.Escape(name)}", $"a {StatusType} entry has no field '{FieldPointer.Shorten(name)}'.");
        if (!(status["type"] is JsonValue type && type.TryGetValue<string>(out var typeText) && typeText == StatusType))
            errors.Add($"{at}/type", $"credentialStatus.type must be '{StatusType}'.");
        long chainId = 0;
        if (!(status["chainId"] is JsonValue chain && chain.TryGetValue(out chainId) && chainId >= 1 && chain.ToJsonString().All(char.IsAsciiDigit)))
            errors.Add($"{at}/chainId", "credentialStatus.chainId must be a positive integer.");
        var registry = status["registry"] is JsonValue r && r.TryGetValue<string>(out var registryText) ? registryText : null;
        if (!IssuerDid.IsAddress(registry))
            errors.Add($"{at}/registry", "credentialStatus.registry must be a 0x-prefixed contract address.");
        var issuerText = status["issuer"] is JsonValue i && i.TryGetValue<string>(out var text) ? text : null;
        if (!IssuerDid.TryParse(issuerText, out var issuer))
            errors.Add($"{at}/issuer", "credentialStatus.issuer must be the issuer's did:pkh:eip155 DID.");
        return errors.IsEmpty ? new CredentialStatusEntry(chainId, registry!.ToLowerInvariant(), issuer) : null;
    }

    /// <summary>What in this entry disagrees with the proof's anchor or the credential's issuer, or null when all agree.</summary>
    public string? DisagreementWith(AnchorLocation anchor, IssuerDid credentialIssuer)
    {
        if (ChainId != anchor.ChainId)
            return $"credentialStatus.chainId is {ChainId}, but the proof was anchored on chain {anchor.ChainId}.";
        if (Registry != anchor.Registry)
            return $"credentialStatus.registry is {Registry}, but the proof was anchored in {anchor.Registry}.";
        if (Issuer != credentialIssuer)
            return $"credentialStatus.issuer is {Issuer}, but the credential's issuer is {credentialIssuer}.";
        return null;
    }
}
