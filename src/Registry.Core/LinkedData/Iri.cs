using System.Text;

namespace Registry.LinkedData;

/// <summary>IRI helpers of JSON-LD processing: absolute or not, and reference resolution (RFC 3986 §5.2).</summary>
internal static class Iri
{
    /// <summary>Whether <paramref name="value"/> starts with a scheme (<c>letter *( letter / digit / "+" / "-" / "." ) ":"</c>).</summary>
    public static bool HasScheme(string value)
    {
        if (value.Length == 0 || !char.IsAsciiLetter(value[0]))
            return false;
        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i];
            if (c == ':')
                return true;
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
                return false;
        }
        return false;
    }

    /// <summary>An absolute IRI: a scheme, and no character that an IRI may not hold (space, quotes, angle brackets…).</summary>
    public static bool IsAbsolute(string value) => HasScheme(value) && !HasForbiddenCharacter(value);

    public static bool IsBlankNode(string value) => value.StartsWith("_:", StringComparison.Ordinal);

    /// <summary>Whether an RDF term can be made of it: an absolute IRI or a blank node identifier.</summary>
    public static bool IsWellFormedNode(string value) => IsBlankNode(value) || IsAbsolute(value);

    private static bool HasForbiddenCharacter(string value)
    {
        var fragments = 0;
        foreach (var c in value)
        {
            if (c <= ' ' || c is '<' or '>' or '"' or '{' or '}' or '|' or '\\' or '^' or '`')
                return true;
            if (c == '#' && ++fragments > 1)
                return true;
        }
        return false;
    }

    /// <summary>Resolves <paramref name="reference"/> against <paramref name="baseIri"/>; with no base, the reference is returned as it is.</summary>
    public static string Resolve(string? baseIri, string reference)
    {
        if (baseIri is null)
            return reference;
        var r = Split(reference);
        if (r.Scheme is not null)
            return Compose(r.Scheme, r.Authority, RemoveDotSegments(r.Path), r.Query, r.Fragment);
        var b = Split(baseIri);
        string? authority, path, query;
        if (r.Authority is not null)
        {
            authority = r.Authority;
            path = RemoveDotSegments(r.Path);
            query = r.Query;
        }
        else
        {
            authority = b.Authority;
            if (r.Path.Length == 0)
            {
                path = b.Path;
                query = r.Query ?? b.Query;
            }
            else
            {
                path = r.Path[0] == '/' ? RemoveDotSegments(r.Path) : RemoveDotSegments(Merge(b, r.Path));
                query = r.Query;
            }
        }
        return Compose(b.Scheme, authority, path, query, r.Fragment);
    }

    private readonly record struct Parts(string? Scheme, string? Authority, string Path, string? Query, string? Fragment);

    private static Parts Split(string iri)
    {
        string? scheme = null, authority = null, query = null, fragment = null;
        var rest = iri.AsSpan();
        var hash = rest.IndexOf('#');
        if (hash >= 0)
        {
            fragment = rest[(hash + 1)..].ToString();
            rest = rest[..hash];
        }
        var question = rest.IndexOf('?');
        if (question >= 0)
        {
            query = rest[(question + 1)..].ToString();
            rest = rest[..question];
        }
        var colon = rest.IndexOf(':');
        if (colon > 0 && HasScheme(rest[..(colon + 1)].ToString()))
        {
            scheme = rest[..colon].ToString();
            rest = rest[(colon + 1)..];
        }
        if (rest.StartsWith("//"))
        {
            rest = rest[2..];
            var slash = rest.IndexOf('/');
            authority = (slash < 0 ? rest : rest[..slash]).ToString();
            rest = slash < 0 ? [] : rest[slash..];
        }
        return new Parts(scheme, authority, rest.ToString(), query, fragment);
    }

    private static string Merge(Parts b, string path)
    {
        if (b.Authority is not null && b.Path.Length == 0)
            return "/" + path;
        var slash = b.Path.LastIndexOf('/');
        return slash < 0 ? path : string.Concat(b.Path.AsSpan(0, slash + 1), path);
    }

    private static string RemoveDotSegments(string path)
    {
        if (!path.Contains('.'))
            return path;
        var output = new List<string>();
        var input = path;
        while (input.Length > 0)
        {
            if (input.StartsWith("../", StringComparison.Ordinal))
                input = input[3..];
            else if (input.StartsWith("./", StringComparison.Ordinal))
                input = input[2..];
            else if (input.StartsWith("/./", StringComparison.Ordinal))
                input = input[2..];
            else if (input == "/.")
                input = "/";
            else if (input.StartsWith("/../", StringComparison.Ordinal))
            {
                input = input[3..];
                if (output.Count > 0)
                    output.RemoveAt(output.Count - 1);
            }
            else if (input == "/..")
            {
                input = "/";
                if (output.Count > 0)
                    output.RemoveAt(output.Count - 1);
            }
            else if (input is "." or "..")
                input = "";
            else
            {
                var next = input.IndexOf('/', input[0] == '/' ? 1 : 0);
                var segment = next < 0 ? input : input[..next];
                output.Add(segment);
                input = next < 0 ? "" : input[next..];
            }
        }
        return string.Concat(output);
    }

    private static string Compose(string? scheme, string? authority, string path, string? query, string? fragment)
    {
        var builder = new StringBuilder();
        if (scheme is not null)
            builder.Append(scheme).Append(':');
        if (authority is not null)
            builder.Append("//").Append(authority);
        builder.Append(path);
        if (query is not null)
            builder.Append('?').Append(query);
        if (fragment is not null)
            builder.Append('#').Append(fragment);
        return builder.ToString();
    }
}
