using System.Text.Json.Nodes;
using Registry.Canonical;
using Registry.LinkedData;

namespace Registry.Credentials;

/// <summary>
/// The issuer as the registry writes it into a credential: an Open Badges 3.0 <c>Profile</c> whose id is
/// the did:key of the issuer's Ed25519 signing key (<paramref name="DidKey"/>), the key its signature is made with.
/// </summary>
public sealed record IssuerProfileFields(string DidKey, string Name, string? Url = null, string? Description = null)
{
    public JsonObject ToJson()
    {
        var profile = new JsonObject
        {
            ["id"] = DidKey,
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
/// gave none), the <c>issuer</c> profile, the profile's terms where no context defines them (<see cref="IssuerProfileContext"/>),
/// its own JSON-LD context (unless an exact copy is there already)
/// and the <c>credentialStatus</c>: the credential's status list entry, then the chain entry, then any entries the issuer gave
/// (statuses of its own, which the registry keeps but neither checks nor updates). The credential must have passed
/// <see cref="CredentialValidator.ValidateSubmission"/>.
/// </summary>
public static class RegistryFields
{
    public static void Apply(JsonObject credential, string generatedId, IssuerProfileFields issuer, StatusListEntry list, CredentialStatusEntry status)
    {
        if (!credential.ContainsKey("id")) credential["id"] = generatedId;
        credential["issuer"] = issuer.ToJson();
        AddContexts(credential["@context"]!.AsArray(), RegistryContext.Create);
        credential["credentialStatus"] = new JsonArray([list.ToJson(), status.ToJson(), .. CredentialStatusEntry.IssuerEntriesOf(credential["credentialStatus"])]);
    }

    /// <summary>
    /// The same fields as canonical fragments, for a credential that is canonicalised next and then
    /// only kept as bytes (issuance): <see cref="Jcs"/> gives the same bytes as for <see cref="Apply(JsonObject, string, IssuerProfileFields, StatusListEntry, CredentialStatusEntry)"/>.
    /// The status list entry differs per credential, so it alone is written as nodes.
    /// </summary>
    public static void ApplyForDigest(JsonObject credential, string generatedId, Fragments fragments, StatusListEntry list)
    {
        if (!credential.ContainsKey("id")) credential["id"] = generatedId;
        credential["issuer"] = fragments.Issuer.ToNode();
        AddContexts(credential["@context"]!.AsArray(), RegistryContext.Canonical.ToNode);
        credential["credentialStatus"] = new JsonArray([list.ToJson(), fragments.Status.ToNode(), .. CredentialStatusEntry.IssuerEntriesOf(credential["credentialStatus"])]);
    }

    /// <summary>
    /// For a VC 1.1 credential, the contexts of the terms VC 2.0's context defines and VC 1.1's does not (Data Integrity's
    /// proof, the Bitstring Status List entry) unless named already; then the issuer profile's terms where the credential's
    /// contexts leave them undefined; then the registry's context (unless an exact copy is there already), last.
    /// </summary>
    private static void AddContexts(JsonArray contexts, Func<JsonNode> registryContext)
    {
        var before = contexts.ToList().FindIndex(RegistryContext.IsRegistryContext);
        void Add(JsonNode context)
        {
            if (before < 0) contexts.Add(context);
            else contexts.Insert(before++, context);
        }
        if (CredentialValidator.IsVc11(contexts))
            foreach (var url in Vc11Additions)
                if (!contexts.Any(item => item is JsonValue value && value.TryGetValue<string>(out var text) && text == url)) Add(url);
        if (IssuerProfileContext.IsNeededBy(contexts)) Add(IssuerProfileContext.Create(contexts));
        if (!contexts.Any(RegistryContext.IsRegistryContext)) contexts.Add(registryContext());
    }

    /// <summary>
    /// The bundled contexts a VC 1.1 credential gets so that what the registry writes is defined in it: Data Integrity's
    /// (the issuer's <c>DataIntegrityProof</c>, as Digital Bazaar's libraries add it when signing VC 1.1) and the Bitstring
    /// Status List's (the <c>BitstringStatusListEntry</c>). VC 2.0's context holds both.
    /// </summary>
    public static IReadOnlyList<string> Vc11Additions { get; } = [BundledContexts.DataIntegrityV2, BundledContexts.BitstringStatusListV1];

    /// <summary>One issuer's profile and chain status entry, canonicalised once for all the credentials of a request.</summary>
    public sealed record Fragments(CanonicalFragment Issuer, CanonicalFragment Status)
    {
        public static Fragments Of(IssuerProfileFields issuer, CredentialStatusEntry status) =>
            new(CanonicalFragment.Of(issuer.ToJson()), CanonicalFragment.Of(status.ToJson()));
    }
}
