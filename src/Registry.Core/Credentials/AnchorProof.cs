using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Nodes;
using Registry.Hashing;
using Registry.Identity;

namespace Registry.Credentials;

/// <summary>Where a credential's batch root was anchored.</summary>
public sealed record AnchorLocation(long ChainId, string Registry, string TransactionHash, long BlockNumber, string BatchId);

/// <summary>The <c>proof</c> of a portable credential: type <c>EthereumMerkleAnchor2026</c>.</summary>
public sealed record AnchorProof(
    string VerificationMethod,
    DateTimeOffset Created,
    Bytes32 Salt,
    Bytes32 Digest,
    Bytes32 MerkleRoot,
    IReadOnlyList<Bytes32> MerkleProof,
    AnchorLocation Anchor)
{
    public const string ProofType = "EthereumMerkleAnchor2026";
    public const string ProofPurpose = "assertionMethod";

    /// <summary>A tree of 2^64 leaves is far beyond any batch; longer proofs are hostile.</summary>
    public const int MaxProofLength = 64;

    public JsonObject ToJson() => new()
    {
        ["type"] = ProofType,
        ["proofPurpose"] = ProofPurpose,
        ["verificationMethod"] = VerificationMethod,
        ["created"] = XsdDateTime.Format(Created),
        ["salt"] = Salt.ToString(),
        ["digest"] = Digest.ToString(),
        ["merkleRoot"] = MerkleRoot.ToString(),
        ["merkleProof"] = new JsonArray(MerkleProof.Select(h => (JsonNode)JsonValue.Create(h.ToString())).ToArray()),
        ["anchor"] = new JsonObject
        {
            ["chainId"] = Anchor.ChainId,
            ["registry"] = Anchor.Registry,
            ["transactionHash"] = Anchor.TransactionHash,
            ["blockNumber"] = Anchor.BlockNumber,
            ["batchId"] = Anchor.BatchId,
        },
    };

    private static readonly HashSet<string> ProofFields =
        ["type", "proofPurpose", "verificationMethod", "created", "salt", "digest", "merkleRoot", "merkleProof", "anchor"];

    private static readonly HashSet<string> AnchorFields = ["chainId", "registry", "transactionHash", "blockNumber", "batchId"];

    /// <summary>
    /// Reads a proof, naming every malformed field; never throws on hostile input. Each field has one
    /// written form (lowercase hex, a UTC time to the second) and no other field is allowed, so no part
    /// of a proof can change without failing a check.
    /// </summary>
    /// <param name="at">Where the proof is in the document: <c>/proof/0</c> in a proof set.</param>
    public static AnchorProof? TryParse(JsonNode? node, ValidationErrors errors, string at = "/proof")
    {
        if (node is not JsonObject proof)
        {
            errors.Add(at, node is null ? "the credential has no anchor proof." : "the anchor proof must be an object.");
            return null;
        }
        RefuseUnknownFields(proof, ProofFields, at, errors);
        var type = Text(proof, "type");
        if (type != ProofType)
            errors.Add($"{at}/type", $"proof.type must be '{ProofType}', not '{Shorten(type)}'.");
        if (Text(proof, "proofPurpose") != ProofPurpose)
            errors.Add($"{at}/proofPurpose", $"proof.proofPurpose must be '{ProofPurpose}'.");
        var method = Text(proof, "verificationMethod");
        IssuerDid? account = null;
        if (method is null || !method.EndsWith(IssuerDid.VerificationMethodFragment, StringComparison.Ordinal)
            || !IssuerDid.TryParse(method[..^IssuerDid.VerificationMethodFragment.Length], out account))
            errors.Add($"{at}/verificationMethod", "proof.verificationMethod must be the issuer's did:pkh followed by #blockchainAccountId.");
        var createdText = Text(proof, "created");
        if (!XsdDateTime.TryParse(createdText, out var created) || XsdDateTime.Format(created) != createdText)
            errors.Add($"{at}/created", "proof.created must be a UTC date-time to the second, such as 2026-11-29T10:00:00Z.");
        var salt = Hash(proof, "salt", at, errors);
        var digest = Hash(proof, "digest", at, errors);
        var root = Hash(proof, "merkleRoot", at, errors);
        var path = HashList(proof, at, errors);
        var anchor = Location(proof["anchor"], $"{at}/anchor", errors);

        if (!errors.IsEmpty || account is null || salt is null || digest is null || root is null || path is null || anchor is null)
            return null;
        return new AnchorProof(account.VerificationMethod, created, salt.Value, digest.Value, root.Value, path, anchor);
    }

    private static AnchorLocation? Location(JsonNode? node, string at, ValidationErrors errors)
    {
        if (node is not JsonObject anchor)
        {
            errors.Add(at, "proof.anchor must be an object.");
            return null;
        }
        RefuseUnknownFields(anchor, AnchorFields, at, errors);
        var chainId = Integer(anchor, "chainId", at, errors, min: 1);
        var blockNumber = Integer(anchor, "blockNumber", at, errors, min: 0);
        var registry = Text(anchor, "registry");
        if (!IssuerDid.IsAddress(registry))
            errors.Add($"{at}/registry", "proof.anchor.registry must be a 0x-prefixed contract address.");
        var transaction = Text(anchor, "transactionHash");
        if (!IsLowercaseHash(transaction))
            errors.Add($"{at}/transactionHash", "proof.anchor.transactionHash must be a 0x-prefixed 32-byte lowercase hex hash.");
        var batchId = Text(anchor, "batchId");
        if (batchId is null || batchId.Length is 0 or > 128)
            errors.Add($"{at}/batchId", "proof.anchor.batchId must be a non-empty string of at most 128 characters.");
        if (chainId is null || blockNumber is null || registry is null || transaction is null || batchId is null) return null;
        return new AnchorLocation(chainId.Value, registry.ToLowerInvariant(), transaction.ToLowerInvariant(), blockNumber.Value, batchId);
    }

    private static List<Bytes32>? HashList(JsonObject proof, string at, ValidationErrors errors)
    {
        if (proof["merkleProof"] is not JsonArray array)
        {
            errors.Add($"{at}/merkleProof", "proof.merkleProof must be an array of 32-byte hex hashes.");
            return null;
        }
        if (array.Count > MaxProofLength)
        {
            errors.Add($"{at}/merkleProof", $"proof.merkleProof has {array.Count} hashes; at most {MaxProofLength} are accepted.");
            return null;
        }
        var hashes = new List<Bytes32>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue value && value.TryGetValue<string>(out var text) && IsLowercaseHash(text))
                hashes.Add(Bytes32.Parse(text));
            else
                errors.Add($"{at}/merkleProof/{i}", "each proof hash must be a 0x-prefixed 32-byte lowercase hex string.");
        }
        return hashes;
    }

    private static Bytes32? Hash(JsonObject proof, string field, string at, ValidationErrors errors)
    {
        var text = Text(proof, field);
        if (IsLowercaseHash(text)) return Bytes32.Parse(text);
        errors.Add($"{at}/{field}", $"proof.{field} must be a 0x-prefixed 32-byte lowercase hex string.");
        return null;
    }

    private static readonly SearchValues<char> LowercaseHex = SearchValues.Create("0123456789abcdef");

    /// <summary>"0x" and 64 lowercase hex digits: the form <see cref="Bytes32.ToString"/> writes.</summary>
    private static bool IsLowercaseHash([NotNullWhen(true)] string? text) =>
        text is { Length: 2 + 2 * Bytes32.Length } && text.StartsWith("0x", StringComparison.Ordinal) && !text.AsSpan(2).ContainsAnyExcept(LowercaseHex);

    private static void RefuseUnknownFields(JsonObject owner, HashSet<string> known, string path, ValidationErrors errors)
    {
        foreach (var (name, _) in owner)
            if (!known.Contains(name))
                errors.Add(FieldPointer.Child(path, Shorten(name)), $"{path} has no field '{Shorten(name)}'; a proof carries only the fields its type defines.");
    }

    private static long? Integer(JsonObject owner, string field, string at, ValidationErrors errors, long min)
    {
        if (owner[field] is JsonValue value && value.TryGetValue<long>(out var number) && number >= min
            && value.ToJsonString().All(char.IsAsciiDigit))
            return number;
        errors.Add($"{at}/{field}", $"proof.anchor.{field} must be an integer of at least {min.ToString(CultureInfo.InvariantCulture)}.");
        return null;
    }

    private static string? Text(JsonObject owner, string field) =>
        owner[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Shorten(string? text) => text is null ? "(missing)" : text.Length <= 60 ? text : text[..60] + "…";
}
