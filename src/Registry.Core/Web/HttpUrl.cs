namespace Registry.Web;

/// <summary>The one rule for a URL the registry, its CLI or its page will send requests to: absolute, http or https.</summary>
public static class HttpUrl
{
    /// <summary>The local development node, where every command and the registry look when told nothing else.</summary>
    public static Uri DefaultRpc { get; } = new("http://127.0.0.1:8545");

    /// <summary>True when <paramref name="text"/> is an absolute http or https URL.</summary>
    public static bool TryParse(string? text, out Uri url)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
        {
            url = parsed;
            return true;
        }
        url = null!;
        return false;
    }

    /// <summary>
    /// Scheme, host and port only: what a message may say about a node, since the path or query of a
    /// provider's URL often carries its key.
    /// </summary>
    public static string Origin(Uri url) => $"{url.Scheme}://{url.Authority}";
}
