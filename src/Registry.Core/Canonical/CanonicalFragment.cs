using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Registry.Canonical;

/// <summary>
/// A JSON value already in its canonical form (RFC 8785), to place in a document as a node that
/// <see cref="Jcs"/> writes as it is rather than canonicalising again. What the registry writes into
/// every credential of a request (its JSON-LD context, the issuer profile, the status entry) is the
/// same each time: canonicalised once, it costs a copy of bytes per credential instead of a tree of
/// nodes built, sorted and written. Canonical form is compositional, so the document's canonical
/// bytes are the same either way.
/// </summary>
public sealed class CanonicalFragment
{
    private static readonly JsonTypeInfo<CanonicalFragment> TypeInfo =
        JsonMetadataServices.CreateValueInfo<CanonicalFragment>(new JsonSerializerOptions { TypeInfoResolver = JsonTypeInfoResolver.Combine() }, new Writer());

    private CanonicalFragment(byte[] utf8) => Utf8 = utf8;

    /// <summary>The canonical UTF-8 bytes.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    public static CanonicalFragment Of(JsonNode? node) => new(Jcs.Canonicalize(node));

    /// <summary>A new node holding the fragment (a node has one parent, so each place gets its own).</summary>
    public JsonValue ToNode() => JsonValue.Create(this, TypeInfo)!;

    /// <summary>Written as its bytes wherever System.Text.Json writes the node; it is never read back from JSON.</summary>
    private sealed class Writer : JsonConverter<CanonicalFragment>
    {
        public override CanonicalFragment Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("A canonical fragment is made from a node, never read.");

        public override void Write(Utf8JsonWriter writer, CanonicalFragment value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
    }
}
