using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Identity;

namespace Registry.Stacks;

/// <summary>
/// One component of a stacked qualification, as the qualification's <c>evidence</c> references it: the
/// component credential's <c>id</c> and title, its issuer (the did:key its <c>issuer.id</c> names), the
/// account that anchored it, its digest with the Merkle root and path that put it in that anchor, and the
/// chain and registry the anchor is in. That is all the chain needs to answer for the component today,
/// without the component's file (<c>docs/STACKS.md</c>).
/// </summary>
public sealed record ComponentReference(
    string Id, string? Name, string Issuer, IssuerDid AnchoredBy, Bytes32 Digest, Bytes32 MerkleRoot, IReadOnlyList<Bytes32> MerkleProof,
    long ChainId, string Registry)
{
    public const string EvidenceType = "ComponentCredential2026";

    /// <summary>At most this many components, as in an award.</summary>
    public const int MaxComponents = 100;

    private static readonly HashSet<string> Fields = ["id", "type", "name", "issuer", "anchoredBy", "digest", "merkleRoot", "merkleProof", "chainId", "registry"];

    /// <summary>The reference to a portable credential whose proof set has been read.</summary>
    public static ComponentReference Of(JsonObject portable, ProofSet proofs) => new(
        CredentialClaims.Text(portable["id"]) ?? throw new ArgumentException("The component has no id.", nameof(portable)),
        CredentialClaims.Title(portable),
        CredentialValidator.IssuerId(portable["issuer"]) ?? throw new ArgumentException("The component has no issuer.", nameof(portable)),
        proofs.Account, proofs.Anchor.Digest, proofs.Anchor.MerkleRoot, proofs.Anchor.MerkleProof, proofs.Anchor.Anchor.ChainId, proofs.Anchor.Anchor.Registry);

    public JsonObject ToJson()
    {
        var evidence = new JsonObject
        {
            ["id"] = Id,
            ["type"] = new JsonArray("Evidence", EvidenceType),
        };
        if (Name is not null) evidence["name"] = Name;
        evidence["issuer"] = Issuer;
        evidence["anchoredBy"] = AnchoredBy.ToString();
        evidence["digest"] = Digest.ToString();
        evidence["merkleRoot"] = MerkleRoot.ToString();
        evidence["merkleProof"] = new JsonArray(MerkleProof.Select(h => (JsonNode)JsonValue.Create(h.ToString())).ToArray());
        evidence["chainId"] = ChainId;
        evidence["registry"] = Registry;
        return evidence;
    }

    /// <summary>Whether an <c>evidence</c> item claims to reference a component (its type names <see cref="EvidenceType"/>).</summary>
    public static bool IsComponent(JsonNode? evidence) =>
        evidence is JsonObject item && item["type"] is JsonArray types && types.Any(t => CredentialClaims.Text(t) == EvidenceType);

    /// <summary>
    /// The components a credential's <c>evidence</c> references, in order; empty when it references none.
    /// A reference that does not read is named in <paramref name="errors"/> by its pointer, and never throws.
    /// </summary>
    public static List<ComponentReference> ComponentsOf(JsonObject credential, ValidationErrors errors)
    {
        var found = new List<ComponentReference>();
        var evidence = credential["evidence"] switch { JsonArray array => array.ToList(), JsonObject one => [one], _ => [] };
        for (var i = 0; i < evidence.Count; i++)
        {
            if (!IsComponent(evidence[i])) continue;
            if (found.Count == MaxComponents)
            {
                errors.Add("/evidence", $"the evidence references more than {MaxComponents} components.");
                break;
            }
            if (TryParse((JsonObject)evidence[i]!, credential["evidence"] is JsonArray ? $"/evidence/{i}" : "/evidence", errors) is { } component)
                found.Add(component);
        }
        return found;
    }

    private static ComponentReference? TryParse(JsonObject item, string at, ValidationErrors errors)
    {
        var before = errors.ToString();
        foreach (var (name, _) in item)
            if (!Fields.Contains(name))
                errors.Add(FieldPointer.Child(at, FieldPointer.Shorten(name)), $"a {EvidenceType} reference has no field '{FieldPointer.Shorten(name)}'.");
        var id = CredentialClaims.Text(item["id"]);
        if (id is null || id.Length > CredentialValidator.MaxIdLength || !Uri.TryCreate(id, UriKind.Absolute, out _))
            errors.Add($"{at}/id", "the component's id must be the absolute URI its credential names.");
        var issuer = CredentialClaims.Text(item["issuer"]);
        if (issuer is null || !issuer.StartsWith(Signatures.DidKey.Prefix, StringComparison.Ordinal) || !Signatures.DidKey.Resolve(issuer).Resolved || issuer.Contains('#'))
            errors.Add($"{at}/issuer", "the component's issuer must be the did:key its credential names.");
        if (!IssuerDid.TryParse(CredentialClaims.Text(item["anchoredBy"]), out var account))
            errors.Add($"{at}/anchoredBy", "anchoredBy must be the did:pkh of the account that anchored the component.");
        var digest = Hash(item, "digest", at, errors);
        var root = Hash(item, "merkleRoot", at, errors);
        var path = new List<Bytes32>();
        if (item["merkleProof"] is JsonArray proof && proof.Count <= AnchorProof.MaxProofLength)
            for (var i = 0; i < proof.Count; i++)
            {
                if (IsHash(CredentialClaims.Text(proof[i]), out var hash)) path.Add(hash);
                else errors.Add($"{at}/merkleProof/{i}", "each hash of merkleProof must be 0x-prefixed 32-byte lowercase hex.");
            }
        else errors.Add($"{at}/merkleProof", $"merkleProof must be an array of at most {AnchorProof.MaxProofLength} hashes.");
        long chainId = 0;
        if (item["chainId"] is not JsonValue chain || !chain.TryGetValue(out chainId) || chainId < 1 || !chain.ToJsonString().All(char.IsAsciiDigit))
            errors.Add($"{at}/chainId", "chainId must be the positive integer id of the chain the component is anchored on.");
        var registry = CredentialClaims.Text(item["registry"]);
        if (!IssuerDid.IsAddress(registry))
            errors.Add($"{at}/registry", "registry must be the 0x-prefixed address of the contract the component is anchored in.");
        if (errors.ToString() != before) return null;
        return new ComponentReference(id!, CredentialClaims.Text(item["name"]), issuer!, account, digest!.Value, root!.Value, path, chainId, registry!.ToLowerInvariant());
    }

    private static Bytes32? Hash(JsonObject item, string field, string at, ValidationErrors errors)
    {
        if (IsHash(CredentialClaims.Text(item[field]), out var hash)) return hash;
        errors.Add($"{at}/{field}", $"{field} must be 0x-prefixed 32-byte lowercase hex.");
        return null;
    }

    private static bool IsHash(string? text, out Bytes32 hash) => Bytes32.TryParse(text, out hash) && hash.ToString() == text;
}
