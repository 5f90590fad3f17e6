using System.Text.Json.Nodes;
using Registry.Canonical;

namespace Registry.Credentials;

/// <summary>
/// The JSON-LD context that defines every term the registry writes beyond VC 2.0 and Open Badges 3.0:
/// the proof type <c>EthereumMerkleAnchor2026</c> with its fields, and the status type
/// <c>EthereumRevocationRegistry2026</c>. It travels inline, as the last item of the credential's
/// <c>@context</c>, so a strict JSON-LD processor needs no network and no URL that the project would
/// have to keep alive. The registry adds it at submission, so it is part of the digest.
/// </summary>
/// <remarks>
/// The document is <c>contexts/credential-registry-v1.jsonld</c>, embedded in this assembly; its
/// IRIs live under <see cref="Vocabulary"/> (docs/VERIFICATION.md lists each one and why it is a URN).
/// </remarks>
public static class RegistryContext
{
    /// <summary>The base of the IRIs the context gives the registry's own terms.</summary>
    public const string Vocabulary = "urn:credential-registry:vocab#";

    /// <summary>The terms the context defines at its top level: the two types.</summary>
    public static IReadOnlyList<string> Terms { get; } = [AnchorProof.ProofType, CredentialStatusEntry.StatusType];

    private static readonly JsonObject Document = Load();

    /// <summary>The context in canonical form, for issuance (<see cref="RegistryFields.ApplyForDigest"/>).</summary>
    public static CanonicalFragment Canonical { get; } = CanonicalFragment.Of(Document);

    /// <summary>A fresh copy of the context object, to put in a credential's <c>@context</c>.</summary>
    public static JsonObject Create() => (JsonObject)Document.DeepClone();

    /// <summary>Whether a <c>@context</c> item is exactly the registry's context.</summary>
    public static bool IsRegistryContext(JsonNode? item) => item is JsonObject && JsonNode.DeepEquals(item, Document);

    /// <summary>Whether a <c>@context</c> item defines one of the registry's terms (as the registry does, or otherwise).</summary>
    public static bool DefinesRegistryTerm(JsonNode? item) => item is JsonObject context && Terms.Any(context.ContainsKey);

    private static JsonObject Load()
    {
        const string name = "Registry.Credentials.credential-registry-v1.jsonld";
        using var stream = typeof(RegistryContext).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing.");
        return JsonNode.Parse(stream) as JsonObject ?? throw new InvalidOperationException($"{name} is not a JSON object.");
    }
}
