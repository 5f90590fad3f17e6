using System.Text.Json;
using System.Text.Json.Nodes;

namespace Registry.Credentials;

/// <summary>
/// Parses untrusted JSON the one way the whole system accepts it: no comments, no trailing commas,
/// no duplicate property names, bounded depth, nothing after the document.
/// </summary>
public static class StrictJson
{
    public const int MaxDepth = 64;

    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
        AllowDuplicateProperties = false,
    };

    /// <summary>Parses UTF-8 JSON; throws <see cref="JsonException"/> when it is not acceptable.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8)
    {
        // The reader checks UTF-8 inside strings only when they are read; check all of it up front.
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
            throw new JsonException("The document is not valid UTF-8.");
        try
        {
            return JsonNode.Parse(utf8, nodeOptions: null, DocumentOptions);
        }
        catch (ArgumentException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public static JsonNode? Parse(string text) => Parse(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Parses a file's or body's bytes and requires a JSON object.</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8) =>
        Parse(utf8) as JsonObject ?? throw new JsonException("The document must be a JSON object.");
}
