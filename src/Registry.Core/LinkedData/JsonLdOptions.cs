using System.Text.Json.Nodes;

namespace Registry.LinkedData;

/// <summary>A document that a loader returns: its final URL (the base for what it refers to) and its JSON.</summary>
public sealed record RemoteDocument(string DocumentUrl, JsonNode Document);

/// <summary>Resolves the URL of a remote context to its document; throws <see cref="JsonLdException"/> when it will not.</summary>
public interface IDocumentLoader
{
    RemoteDocument Load(string url);
}

/// <summary>How <see cref="JsonLd.ToRdf"/> processes a document.</summary>
public sealed record JsonLdOptions
{
    /// <summary>The loader of remote contexts; by default <see cref="BundledContexts.Loader"/>, which serves only the contexts the project bundles.</summary>
    public IDocumentLoader DocumentLoader { get; init; } = BundledContexts.Loader;

    /// <summary>
    /// Safe mode, as jsonld.js has it: whatever the algorithms would drop silently (an undefined term,
    /// a relative IRI where an absolute one is needed, a free-floating value…) is an error instead.
    /// </summary>
    public bool Safe { get; init; }

    /// <summary>The document's base IRI, against which relative IRIs are resolved; none by default.</summary>
    public string? Base { get; init; }

    /// <summary>A context applied before the document's own (the API's <c>expandContext</c> option).</summary>
    public JsonNode? ExpandContext { get; init; }

    /// <summary>The options that documents get when none are given: the bundled contexts, not safe, no base.</summary>
    public static JsonLdOptions Default { get; } = new();
}
