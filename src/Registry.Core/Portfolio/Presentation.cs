using System.Text.Json.Nodes;
using Registry.Canonical;

namespace Registry.Portfolio;

/// <summary>
/// A learner's portfolio: a W3C <c>VerifiablePresentation</c> (VC 2.0 data model) whose
/// <c>verifiableCredential</c> holds portable credentials. It is unsigned: a holder's proof, if one is
/// present, is not checked (holder binding is a later step), and every credential in it is verified on
/// its own.
/// </summary>
public static class Presentation
{
    /// <summary>The most credentials one presentation may hold.</summary>
    public const int MaxCredentials = 100;

    public const string Type = "VerifiablePresentation";
    public const string ContextV2 = "https://www.w3.org/ns/credentials/v2";

    /// <summary>Whether <paramref name="document"/> says it is a presentation (its <c>type</c> names <see cref="Type"/>).</summary>
    public static bool Is(JsonNode? document) => document is JsonObject o && HasType(o, Type);

    /// <summary>
    /// The credentials of a presentation, detached from it, or the reason it is refused: not a VC 2.0
    /// presentation, none or more than <see cref="MaxCredentials"/> credentials, an entry that is not a
    /// credential, or a credential given twice.
    /// </summary>
    public static PresentationReading Read(JsonObject presentation)
    {
        if (!HasContextV2(presentation))
            return PresentationReading.Refuse($"A presentation's @context must begin with the VC 2.0 context {ContextV2}.");
        if (!HasType(presentation, Type))
            return PresentationReading.Refuse($"A presentation's type must include {Type}.");
        var entries = presentation["verifiableCredential"] switch
        {
            JsonArray array => array.ToList(),
            JsonObject one => [one],
            null => [],
            _ => null,
        };
        if (entries is null)
            return PresentationReading.Refuse("A presentation's verifiableCredential must be a credential or an array of credentials.");
        if (entries.Count == 0)
            return PresentationReading.Refuse("The presentation holds no credentials: its verifiableCredential is missing or empty.");
        if (entries.Count > MaxCredentials)
            return PresentationReading.Refuse($"The presentation holds {entries.Count:N0} credentials; at most {MaxCredentials} are verified together.");

        var credentials = new List<JsonObject>(entries.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not JsonObject credential || !HasType(credential, "VerifiableCredential"))
                return PresentationReading.Refuse($"Entry {i + 1} of the presentation is not a credential: each entry must be a JSON object whose type includes VerifiableCredential.");
            var key = Identity(credential);
            if (seen.TryGetValue(key, out var first))
                return PresentationReading.Refuse($"Entries {first + 1} and {i + 1} of the presentation are the same credential{(credential["id"] is JsonValue id ? $" ({id})" : "")}; give each credential once.");
            seen[key] = i;
            credentials.Add(credential);
        }
        // Detached, so that each is a document of its own to the verifier.
        if (presentation["verifiableCredential"] is JsonArray held) held.Clear();
        else presentation.Remove("verifiableCredential");
        return new PresentationReading(credentials, null);
    }

    /// <summary>A presentation holding <paramref name="credentials"/> (copied), or the reason they cannot travel together.</summary>
    public static PresentationReading Compose(IEnumerable<JsonObject> credentials)
    {
        var presentation = new JsonObject
        {
            ["@context"] = new JsonArray(ContextV2),
            ["type"] = new JsonArray(Type),
            ["verifiableCredential"] = new JsonArray(credentials.Select(c => (JsonNode)c.DeepClone()).ToArray()),
        };
        var check = Read((JsonObject)presentation.DeepClone());
        return check.Refusal is null ? new PresentationReading(check.Credentials, null) { Presentation = presentation } : check;
    }

    /// <summary>What makes two entries the same credential: its <c>id</c>, or for one without an id its whole canonical form.</summary>
    private static string Identity(JsonObject credential) =>
        credential["id"] is JsonValue id && id.TryGetValue<string>(out var text) ? "id " + text : "jcs " + Jcs.CanonicalizeToString(credential);

    private static bool HasContextV2(JsonObject document) => document["@context"] switch
    {
        JsonArray contexts => contexts.Count > 0 && contexts[0] is JsonValue first && first.TryGetValue<string>(out var url) && url == ContextV2,
        JsonValue single => single.TryGetValue<string>(out var url) && url == ContextV2,
        _ => false,
    };

    private static bool HasType(JsonObject document, string type) => document["type"] switch
    {
        JsonArray types => types.Any(t => t is JsonValue v && v.TryGetValue<string>(out var name) && name == type),
        JsonValue single => single.TryGetValue<string>(out var name) && name == type,
        _ => false,
    };
}

/// <summary>A presentation's credentials, or why it is refused (<see cref="Refusal"/> set, nothing verified).</summary>
public sealed record PresentationReading(IReadOnlyList<JsonObject> Credentials, string? Refusal)
{
    /// <summary>The presentation itself, when <see cref="Presentation.Compose"/> built it.</summary>
    public JsonObject? Presentation { get; init; }

    public static PresentationReading Refuse(string reason) => new([], reason);
}
