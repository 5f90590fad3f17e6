using System.Text.Json.Nodes;

namespace Registry.Credentials;

/// <summary>
/// What a credential says about itself, read leniently for display (a portfolio's list, a badge's
/// picture): a missing or mistyped field is null, never an error. Claims, not verdicts.
/// </summary>
public static class CredentialClaims
{
    /// <summary>The first subject: <c>credentialSubject</c>, or the first of an array of them.</summary>
    public static JsonNode? Subject(JsonObject credential) =>
        credential["credentialSubject"] is JsonArray many ? many.FirstOrDefault() : credential["credentialSubject"];

    /// <summary>The Open Badges achievement of the first subject.</summary>
    public static JsonNode? Achievement(JsonObject credential) => Field(Subject(credential), "achievement");

    /// <summary>The achievement's name, else the credential's own <c>name</c>.</summary>
    public static string? Title(JsonObject credential) => Text(Field(Achievement(credential), "name")) ?? Text(credential["name"]);

    /// <summary>The name the document gives its issuer; the chain's name for the account is the verdict's.</summary>
    public static string? IssuerName(JsonObject credential) => Text(Field(credential["issuer"], "name"));

    public static JsonNode? Field(JsonNode? node, string name) => node is JsonObject o ? o[name] : null;

    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
