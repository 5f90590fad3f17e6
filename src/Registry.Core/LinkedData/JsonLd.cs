using System.Text.Json.Nodes;

namespace Registry.LinkedData;

/// <summary>
/// JSON-LD 1.1 to RDF: context processing, expansion, the node map and deserialization to RDF, as the
/// W3C JSON-LD 1.1 Processing Algorithms give them. Pure: remote contexts come from the options'
/// document loader, by default only the contexts the project bundles.
/// </summary>
public static class JsonLd
{
    /// <summary>The RDF dataset a JSON-LD document denotes; throws <see cref="JsonLdException"/> when it cannot be processed.</summary>
    public static List<RdfQuad> ToRdf(JsonNode? document, JsonLdOptions? options = null)
    {
        options ??= JsonLdOptions.Default;
        var processor = new JsonLdProcessor(options);
        var expanded = Expand(processor, document, options);
        processor.BuildNodeMap(expanded);
        return processor.ToQuads();
    }

    /// <summary>
    /// The RDF dataset of <paramref name="document"/> as if its <c>@context</c> were <paramref name="context"/>,
    /// which it must not have itself: what a copy of the document with that context denotes, without the copy.
    /// </summary>
    internal static List<RdfQuad> ToRdf(JsonObject document, JsonNode? context, JsonLdOptions options)
    {
        if (document.ContainsKey("@context"))
            throw new ArgumentException("The document has an @context of its own.", nameof(document));
        var processor = new JsonLdProcessor(options);
        // The same steps as for a document holding the context: it is processed first (§5.1.2 step 9), and the node expanded under it.
        var active = processor.ProcessContext(InitialActiveContext(processor, options), context, options.Base);
        if (active.Previous is not null)
        {
            // A context that does not propagate is one a node can revert from, which only the copy decides as the algorithm does.
            var copy = new JsonObject { ["@context"] = context?.DeepClone() };
            foreach (var (name, value) in document)
                copy[name] = value?.DeepClone();
            return ToRdf(copy, options);
        }
        var expanded = processor.Expand(document, active, options.Base);
        processor.BuildNodeMap(expanded);
        return processor.ToQuads();
    }

    private static List<object?> Expand(JsonLdProcessor processor, JsonNode? document, JsonLdOptions options) =>
        processor.Expand(document, InitialActiveContext(processor, options), options.Base);

    private static ActiveContext InitialActiveContext(JsonLdProcessor processor, JsonLdOptions options)
    {
        var active = JsonLdProcessor.InitialContext(options.Base);
        if (options.ExpandContext is { } expandContext)
        {
            var context = expandContext is JsonObject o && o.TryGetPropertyValue("@context", out var inner) ? inner : expandContext;
            active = processor.ProcessContext(active, context, options.Base);
        }
        return active;
    }
}
