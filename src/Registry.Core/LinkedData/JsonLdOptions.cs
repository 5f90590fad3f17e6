using System.Text.Json.Nodes;

namespace Registry.LinkedData;

/// <summary>A document that a loader returns: its final URL (the base for what it refers to) and its JSON.</summary>
public sealed record RemoteDocument(string DocumentUrl, JsonNode Document);

/// <summary>Resolves the URL of a remote context to its document; throws <see cref="JsonLdException"/> when it will not.</summary>
public interface IDocumentLoader
{
    RemoteDocument Load(string url);
}

/// <summary>The forms of the <c>rdfDirection</c> option (JSON-LD 1.1 Processing Algorithms and API, §9.4 JsonLdOptions) this processor has.</summary>
public enum RdfDirection
{
    /// <summary>No option (<c>null</c>): a base direction has no RDF form.</summary>
    None,

    /// <summary>
    /// <c>i18n-datatype</c>: the literal's datatype is <c>https://www.w3.org/ns/i18n#</c> followed by its language tag in
    /// lower case (or nothing) and <c>_ltr</c> or <c>_rtl</c>; the form Data Integrity's RDF cryptosuites sign with.
    /// (<c>compound-literal</c>, the other form, is not implemented.)
    /// </summary>
    I18nDatatype,
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

    /// <summary>
    /// How a value with a base direction (<c>@direction</c>) is written to RDF (the API's <c>rdfDirection</c> option).
    /// Without one, RDF has no form for the direction: the literal is written without it, and in safe mode the value is an error.
    /// </summary>
    public RdfDirection RdfDirection { get; init; }

    /// <summary>The options that documents get when none are given: the bundled contexts, not safe, no base, no <c>rdfDirection</c>.</summary>
    public static JsonLdOptions Default { get; } = new();
}
