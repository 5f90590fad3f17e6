using System.Text.Json.Nodes;

namespace Registry.Credentials;

/// <summary>
/// URLs that run code or carry their own content when followed: <c>javascript:</c>, <c>vbscript:</c> and
/// <c>data:</c>. A wallet or a page may render a credential's links (its subject's id, an achievement's
/// criteria and image, any <c>url</c>), so the registry refuses them at issuance wherever a link sits.
/// </summary>
public static class ScriptingLinks
{
    /// <summary>The properties whose string value is a URL that a wallet may render as a link or an image.</summary>
    public static readonly IReadOnlySet<string> LinkProperties = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "@id", "url", "targetUrl", "image", "homepage", "sameAs", "evidenceDocument",
    };

    private static readonly string[] Schemes = ["javascript:", "vbscript:", "data:"];

    /// <summary>
    /// Whether <paramref name="url"/> has one of the refused schemes, read as a browser reads it: leading
    /// spaces and control characters skipped, tabs and line breaks anywhere ignored, letters in any case.
    /// </summary>
    public static bool IsScripting(string url)
    {
        Span<char> head = stackalloc char[16];
        var length = 0;
        foreach (var c in url)
        {
            if (c is '\t' or '\n' or '\r' || length == 0 && c <= ' ') continue;
            head[length++] = char.ToLowerInvariant(c);
            if (length == head.Length || c == ':') break;
        }
        var text = head[..length];
        foreach (var scheme in Schemes)
            if (text.SequenceEqual(scheme)) return true;
        return false;
    }

    /// <summary>
    /// A raster image inline (PNG, JPEG, GIF, WebP): Open Badges 3.0 lets an image's <c>id</c> be a data URI,
    /// and such an image shows a picture, as a link or an image, and runs nothing (unlike SVG or HTML).
    /// </summary>
    public static bool IsRasterImage(string url)
    {
        const string prefix = "data:image/";
        if (!url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var end = url.AsSpan(prefix.Length).IndexOfAny(';', ',');
        if (end < 0) return false;
        var subtype = url.Substring(prefix.Length, end).ToLowerInvariant();
        return subtype is "png" or "jpeg" or "gif" or "webp";
    }

    /// <summary>Adds an error for each link property under <paramref name="node"/> that holds a refused URL.</summary>
    public static void Find(JsonNode? node, string pointer, ValidationErrors errors) => Find(node, pointer, errors, inImage: false);

    private static void Find(JsonNode? node, string pointer, ValidationErrors errors, bool inImage)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (name == "@context") continue;
                    var child = FieldPointer.Child(pointer, name);
                    if (LinkProperties.Contains(name)) FindInLink(value, child, errors, image: name == "image" || inImage && name == "id");
                    else Find(value, child, errors, inImage: false);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Find(array[i], FieldPointer.Child(pointer, i), errors, inImage: false);
                break;
        }
    }

    /// <summary>A link property's value: a URL, a list of them, or an object (an image with its own <c>id</c>).</summary>
    private static void FindInLink(JsonNode? value, string pointer, ValidationErrors errors, bool image)
    {
        if (value is JsonValue text && text.TryGetValue<string>(out var url))
        {
            if (IsScripting(url) && !(image && IsRasterImage(url)))
                errors.Add(pointer, $"{pointer} must not be a javascript:, vbscript: or data: URL (an image may be a PNG, JPEG, GIF or WebP data URI): "
                    + "a wallet may show it as a link, and following it runs code or shows content nobody checked. Use an https: URL or a URN.");
        }
        else if (value is JsonArray list)
            for (var i = 0; i < list.Count; i++) FindInLink(list[i], FieldPointer.Child(pointer, i), errors, image);
        else Find(value, pointer, errors, inImage: image);
    }
}
