using System.Text.Json.Nodes;
using Registry.Identity;

namespace Registry.Credentials;

/// <summary>The issuer as the registry writes it into a credential: an Open Badges 3.0 <c>Profile</c>.</summary>
public sealed record IssuerProfileFields(IssuerDid Did, string Name, string? Url = null, string? Description = null)
{
    public JsonObject ToJson()
    {
        var profile = new JsonObject
        {
            ["id"] = Did.ToString(),
            ["type"] = new JsonArray("Profile"),
            ["name"] = Name,
        };
        if (Url is not null) profile["url"] = Url;
        if (Description is not null) profile["description"] = Description;
        return profile;
    }
}

/// <summary>
/// What the registry adds to a submitted credential before it is digested: <c>id</c> (when the issuer
/// gave none), the <c>issuer</c> profile, its own JSON-LD context (unless an exact copy is there already)
/// and the <c>credentialStatus</c> entry. The credential must have passed
/// <see cref="CredentialValidator.ValidateSubmission"/>.
/// </summary>
public static class RegistryFields
{
    public static void Apply(JsonObject credential, string generatedId, IssuerProfileFields issuer, CredentialStatusEntry status)
    {
        if (!credential.ContainsKey("id")) credential["id"] = generatedId;
        credential["issuer"] = issuer.ToJson();
        var contexts = credential["@context"]!.AsArray();
        if (!contexts.Any(RegistryContext.IsRegistryContext)) contexts.Add(RegistryContext.Create());
        credential["credentialStatus"] = status.ToJson();
    }
}
