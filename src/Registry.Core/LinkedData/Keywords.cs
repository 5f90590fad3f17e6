using System.Text.Json;
using System.Text.Json.Nodes;

namespace Registry.LinkedData;

/// <summary>JSON-LD's keywords, and small readers of JSON values used throughout processing.</summary>
internal static class Keywords
{
    private static readonly HashSet<string> All =
    [
        "@base", "@container", "@context", "@direction", "@graph", "@id", "@import", "@included", "@index",
        "@json", "@language", "@list", "@nest", "@none", "@prefix", "@propagate", "@protected", "@reverse",
        "@set", "@type", "@value", "@version", "@vocab",
    ];

    public static bool IsKeyword(string? value) => value is not null && value.Length > 1 && value[0] == '@' && All.Contains(value);

    /// <summary>The form of a keyword (<c>@</c> and letters only): reserved, so such terms and values are ignored.</summary>
    public static bool HasKeywordForm(string value)
    {
        if (value.Length < 2 || value[0] != '@')
            return false;
        for (var i = 1; i < value.Length; i++)
        {
            if (!char.IsAsciiLetter(value[i]))
                return false;
        }
        return true;
    }

    /// <summary>A well-formed language tag as jsonld.js checks it (BCP 47's shape: subtags of 1 to 8 letters or digits).</summary>
    public static bool IsLanguageTag(string value)
    {
        var parts = value.Split('-');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 8)
                return false;
            foreach (var c in part)
            {
                if (i == 0 ? !char.IsAsciiLetter(c) : !char.IsAsciiLetterOrDigit(c))
                    return false;
            }
        }
        return true;
    }

    public static bool TryString(JsonNode? node, out string value)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }
        value = "";
        return false;
    }

    public static string? AsString(JsonNode? node) => TryString(node, out var s) ? s : null;

    public static bool TryBool(JsonNode? node, out bool value)
    {
        var kind = node is JsonValue v ? v.GetValueKind() : JsonValueKind.Undefined;
        value = kind == JsonValueKind.True;
        return kind is JsonValueKind.True or JsonValueKind.False;
    }

    /// <summary>A JSON scalar as the expanded form holds it: string, double or bool; null for JSON null.</summary>
    public static object? Scalar(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                if (value.TryGetValue<double>(out var d))
                    return d;
                return double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
            default:
                return null;
        }
    }
}
