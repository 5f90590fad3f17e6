using System.Text.Json.Nodes;
using Registry.Identity;
using Registry.Signatures;

namespace Registry.Credentials;

/// <summary>
/// The <c>proof</c> of a portable credential: a proof set (an array) of the anchor proof
/// (<see cref="AnchorProof"/>, first) and the issuer's signature (a <c>DataIntegrityProof</c> of the
/// <c>eddsa-rdfc-2022</c> cryptosuite by the issuer's did:key, second). Both cover the credential without
/// <c>proof</c>. <see cref="Account"/> is the Ethereum account the anchor proof names.
/// </summary>
public sealed record ProofSet(AnchorProof Anchor, JsonObject Signature, IssuerDid Account)
{
    /// <summary>An Ed25519 signature is 64 bytes, about 88 base58 characters; anything much longer is hostile.</summary>
    private const int MaxProofValueLength = 256;

    private static readonly HashSet<string> SignatureFields = ["type", "cryptosuite", "proofPurpose", "verificationMethod", "created", "proofValue"];

    /// <summary>
    /// Reads a proof set, naming every malformed field; never throws on hostile input. The signature's
    /// <c>verificationMethod</c> must be the verification method of <paramref name="issuerId"/> (the
    /// credential's <c>issuer.id</c>); whether the signature holds is the <c>signature</c> check's question.
    /// </summary>
    public static ProofSet? TryParse(JsonNode? node, string? issuerId, ValidationErrors errors)
    {
        if (node is not JsonArray { Count: 2 } set)
        {
            errors.Add("/proof", node is null
                ? "the credential has no proof."
                : $"proof must be a proof set: an array of the {AnchorProof.ProofType} proof and the issuer's {EddsaRdfc2022.ProofType} " +
                  $"({EddsaRdfc2022.Cryptosuite}), in that order.");
            return null;
        }
        var anchor = AnchorProof.TryParse(set[0], errors, "/proof/0");
        var signature = ParseSignature(set[1], issuerId, errors, "/proof/1");
        if (anchor is null || signature is null || !errors.IsEmpty) return null;
        var method = anchor.VerificationMethod;
        IssuerDid.TryParse(method[..^IssuerDid.VerificationMethodFragment.Length], out var account);
        return new ProofSet(anchor, signature, account);
    }

    /// <summary>The verification method of an issuer's did:key: <c>did:key:z6Mk…#z6Mk…</c>.</summary>
    public static string VerificationMethodOf(string didKey) => $"{didKey}#{didKey[DidKey.Prefix.Length..]}";

    private static JsonObject? ParseSignature(JsonNode? node, string? issuerId, ValidationErrors errors, string at)
    {
        if (node is not JsonObject proof)
        {
            errors.Add(at, $"the issuer's signature must be a {EddsaRdfc2022.ProofType} object.");
            return null;
        }
        var wellFormed = true;
        foreach (var (name, _) in proof)
            if (!SignatureFields.Contains(name))
                Refuse(FieldPointer.Child(at, FieldPointer.Shorten(name)),
                    $"a {EddsaRdfc2022.ProofType} proof of this registry has no field '{FieldPointer.Shorten(name)}'.");
        if (Text(proof, "type") != EddsaRdfc2022.ProofType)
            Refuse($"{at}/type", $"the second proof's type must be '{EddsaRdfc2022.ProofType}'.");
        if (Text(proof, "cryptosuite") != EddsaRdfc2022.Cryptosuite)
            Refuse($"{at}/cryptosuite", $"the second proof's cryptosuite must be '{EddsaRdfc2022.Cryptosuite}'.");
        if (Text(proof, "proofPurpose") != EddsaRdfc2022.AssertionMethod)
            Refuse($"{at}/proofPurpose", $"the second proof's proofPurpose must be '{EddsaRdfc2022.AssertionMethod}'.");
        if (issuerId is null || !issuerId.StartsWith(DidKey.Prefix, StringComparison.Ordinal)
            || Text(proof, "verificationMethod") != VerificationMethodOf(issuerId))
            Refuse($"{at}/verificationMethod", "the signature's verificationMethod must be the issuer's did:key followed by # and the key again (did:key:z6Mk…#z6Mk…).");
        var created = Text(proof, "created");
        if (!XsdDateTime.TryParse(created, out var time) || XsdDateTime.Format(time) != created)
            Refuse($"{at}/created", "the signature's created must be a UTC date-time to the second, such as 2026-11-29T09:59:58Z.");
        // Only its form: what the value holds, and whether it is a signature at all, is the signature check's to say.
        if (Text(proof, "proofValue") is not { Length: > 1 and <= MaxProofValueLength } value || value[0] != 'z')
            Refuse($"{at}/proofValue", $"proofValue must be the signature as a base58btc multibase string (z…) of at most {MaxProofValueLength} characters.");
        return wellFormed ? proof : null;

        void Refuse(string field, string message)
        {
            errors.Add(field, message);
            wellFormed = false;
        }
    }

    private static string? Text(JsonObject owner, string field) =>
        owner[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
