namespace Registry.Credentials;

/// <summary>
/// Fields are named as JSON Pointers (RFC 6901): <c>/credentialSubject/achievement/name</c>,
/// <c>/@context/0</c>; the empty pointer is the whole document, and a bulk request's items are <c>/3/…</c>.
/// </summary>
public static class FieldPointer
{
    public const string Document = "";

    /// <summary>One reference token: <c>~</c> becomes <c>~0</c> and <c>/</c> becomes <c>~1</c>.</summary>
    public static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Child(string pointer, string name) => $"{pointer}/{Escape(name)}";

    public static string Child(string pointer, int index) => $"{pointer}/{index}";

    /// <summary>A field name short enough for a message.</summary>
    public static string Shorten(string? text) => text is null ? "(missing)" : text.Length <= 60 ? text : text[..60] + "…";
}
