using System.Text.Json.Nodes;
using Registry.LinkedData;

namespace Registry.Credentials;

/// <summary>
/// The terms of the issuer profile the registry writes (<see cref="IssuerProfileFields"/>) that VC 2.0 does not define:
/// the type <c>Profile</c> and its <c>url</c>, with the IRIs Open Badges 3.0 gives them. A credential in the Open Badges
/// context has them already, and one with a <c>@vocab</c> (an inline one, or the W3C examples context) maps them there;
/// any other (a plain VC 2.0 credential) gets this context inline, before the registry's own, so that its JSON-LD (and
/// the issuer's signature over it) is defined. docs/STANDARDS.md, "The issuer profile's terms". A VC 1.1 credential's
/// context defines neither the profile's <c>name</c> nor its <c>description</c>, so its form of this context adds them,
/// with the schema.org IRIs VC 2.0 gives them.
/// </summary>
public static class IssuerProfileContext
{
    private static readonly JsonObject Document = new()
    {
        ["Profile"] = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#Profile",
        ["url"] = new JsonObject { ["@id"] = "https://schema.org/url", ["@type"] = "http://www.w3.org/2001/XMLSchema#anyURI" },
    };

    private static readonly JsonObject Vc11Document = new()
    {
        ["Profile"] = Document["Profile"]!.DeepClone(),
        ["url"] = Document["url"]!.DeepClone(),
        ["name"] = "https://schema.org/name",
        ["description"] = "https://schema.org/description",
    };

    /// <summary>Whether a credential with these <c>@context</c> items leaves the profile's terms undefined.</summary>
    public static bool IsNeededBy(JsonArray contexts)
    {
        var document = For(contexts);
        return !contexts.Any(item => item switch
        {
            JsonValue url when url.TryGetValue<string>(out var text) =>
                text.StartsWith(CredentialValidator.OpenBadgesContextPrefix, StringComparison.Ordinal) || text == BundledContexts.CredentialsExamplesV2,
            JsonObject inline => inline.ContainsKey("@vocab") || JsonNode.DeepEquals(inline, document),
            _ => false,
        });
    }

    /// <summary>A fresh copy of the context object for a credential with these <c>@context</c> items (VC 2.0 or VC 1.1).</summary>
    public static JsonObject Create(JsonArray contexts) => (JsonObject)For(contexts).DeepClone();

    private static JsonObject For(JsonArray contexts) => CredentialValidator.IsVc11(contexts) ? Vc11Document : Document;
}
