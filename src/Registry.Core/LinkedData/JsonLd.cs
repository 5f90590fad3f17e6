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

    private static List<object?> Expand(JsonLdProcessor processor, JsonNode? document, JsonLdOptions options)
    {
        var active = JsonLdProcessor.InitialContext(options.Base);
        if (options.ExpandContext is { } expandContext)
        {
            var context = expandContext is JsonObject o && o.TryGetPropertyValue("@context", out var inner) ? inner : expandContext;
            active = processor.ProcessContext(active, context, options.Base);
        }
        return processor.Expand(document, active, options.Base);
    }
}
