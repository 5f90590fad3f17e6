using System.Text.Json.Nodes;

namespace Registry.Stacks;

/// <summary>
/// The JSON-LD context that defines the terms of a component reference (<see cref="ComponentReference"/>):
/// the evidence type <c>ComponentCredential2026</c> and its fields. Like the registry's own context it
/// travels inline, in the <c>@context</c> of every awarded qualification, so no verifier needs the network.
/// The document is <c>contexts/credential-stacks-v1.jsonld</c>, embedded in this assembly.
/// </summary>
public static class StacksContext
{
    private static readonly JsonObject Document = Load();

    /// <summary>A fresh copy of the context object, to put in a credential's <c>@context</c>.</summary>
    public static JsonObject Create() => (JsonObject)Document.DeepClone();

    private static JsonObject Load()
    {
        const string name = "Registry.Stacks.credential-stacks-v1.jsonld";
        using var stream = typeof(StacksContext).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing.");
        return JsonNode.Parse(stream) as JsonObject ?? throw new InvalidOperationException($"{name} is not a JSON object.");
    }
}
