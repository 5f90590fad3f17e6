using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Registry.LinkedData;

/// <summary>
/// The published JSON-LD contexts the project bundles (contexts/, embedded in this assembly), and the
/// document loader that serves them and refuses every other URL: processing never touches the network.
/// </summary>
public static class BundledContexts
{
    public const string CredentialsV2 = "https://www.w3.org/ns/credentials/v2";
    public const string OpenBadgesV3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
    public const string DataIntegrityV2 = "https://w3id.org/security/data-integrity/v2";
    public const string MultikeyV1 = "https://w3id.org/security/multikey/v1";
    public const string BitstringStatusListV1 = "https://www.w3.org/ns/credentials/status/v1";
    /// <summary>The W3C examples context (one <c>@vocab</c>), which the W3C specifications' and test suites' credentials use.</summary>
    public const string CredentialsExamplesV2 = "https://www.w3.org/ns/credentials/examples/v2";
    /// <summary>VC 1.1, which wallets' presentations may still name.</summary>
    public const string CredentialsV1 = "https://www.w3.org/2018/credentials/v1";
    /// <summary>The suite context of <c>Ed25519Signature2020</c> proofs, which wallets sign their presentations with.</summary>
    public const string Ed25519Signature2020V1 = "https://w3id.org/security/suites/ed25519-2020/v1";

    private static readonly FrozenDictionary<string, string> Files = new Dictionary<string, string>
    {
        [CredentialsV2] = "credentials-v2.jsonld",
        [OpenBadgesV3] = "ob-context-3.0.3.json",
        [DataIntegrityV2] = "data-integrity-v2.jsonld",
        [MultikeyV1] = "multikey-v1.jsonld",
        [BitstringStatusListV1] = "bitstring-status-list-v1.jsonld",
        [CredentialsExamplesV2] = "credentials-examples-v2.jsonld",
        [CredentialsV1] = "credentials-v1.jsonld",
        [Ed25519Signature2020V1] = "ed25519-signature-2020-v1.jsonld",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, RemoteDocument>> Documents = new(LoadAll);

    /// <summary>The URLs served.</summary>
    public static IReadOnlyCollection<string> Urls => Files.Keys;

    /// <summary>The loader of the bundled contexts; any other URL is a <c>loading remote context failed</c> error.</summary>
    public static IDocumentLoader Loader { get; } = new BundledLoader();

    /// <summary>A bundled context document, parsed; for tools that hand the same documents to another processor.</summary>
    public static JsonNode Document(string url) => Loader.Load(url).Document;

    /// <summary>
    /// The bundled contexts whose bytes are the published file's, verified against a digest their specification gives:
    /// the VC 2.0 base context, which VC 2.0 (appendix B.1) tells implementations to treat as already retrieved and
    /// whose SHA-256 it gives (<c>59955ced…2734</c>). A related resource's digest can be checked against these alone.
    /// </summary>
    private static readonly FrozenSet<string> PublishedBytes = new[] { CredentialsV2 }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The published file's exact bytes, for a context in <see cref="PublishedBytes"/>; false for any other URL.</summary>
    public static bool TryGetPublishedBytes(string url, out byte[] bytes)
    {
        bytes = [];
        if (!PublishedBytes.Contains(url))
            return false;
        using var stream = OpenResource(Files[url]);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        bytes = copy.ToArray();
        return true;
    }

    private static Stream OpenResource(string file)
    {
        var name = "Registry.LinkedData.Contexts." + file;
        return typeof(BundledContexts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing.");
    }

    private sealed class BundledLoader : IDocumentLoader
    {
        public RemoteDocument Load(string url) =>
            Documents.Value.TryGetValue(url, out var document)
                ? document
                : throw new JsonLdException("loading remote context failed",
                    $"The context {url} is not one of the contexts the registry bundles ({string.Join(", ", Files.Keys)}), and no other is ever fetched.", url);
    }

    private static FrozenDictionary<string, RemoteDocument> LoadAll()
    {
        var documents = new Dictionary<string, RemoteDocument>(StringComparer.Ordinal);
        foreach (var (url, file) in Files)
        {
            using var stream = OpenResource(file);
            documents[url] = new RemoteDocument(url, JsonNode.Parse(stream) ?? throw new InvalidOperationException($"{file} is empty."));
        }
        return documents.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
