using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.LinkedData;
using Registry.Signatures;

namespace Registry.Credentials;

/// <summary>
/// Checks the fields that W3C Verifiable Credentials 2.0 and, for badges, Open Badges 3.0 require.
/// </summary>
public static class CredentialValidator
{
    public const string VcV2Context = "https://www.w3.org/ns/credentials/v2";
    public const string OpenBadgesContextPrefix = "https://purl.imsglobal.org/spec/ob/v3p0/context";
    public const int MaxIdLength = 2048;

    private static readonly string[] BadgeTypes = ["OpenBadgeCredential", "AchievementCredential"];

    /// <summary>
    /// Validates a credential as an issuer submits it: no <c>proof</c>, and an <c>issuer</c>, if any,
    /// that names <paramref name="expectedIssuer"/>, the did:key of the issuer's signing key. A VC 1.1 credential
    /// (first context <see cref="BundledContexts.CredentialsV1"/>) is accepted only when <paramref name="acceptVc11"/>:
    /// where it is signed at once (docs/STANDARDS.md, "VC 1.1 credentials").
    /// </summary>
    public static ValidationErrors ValidateSubmission(JsonNode? document, string expectedIssuer, bool acceptVc11 = false)
    {
        var errors = new ValidationErrors();
        if (document is not JsonObject credential)
        {
            errors.Add(FieldPointer.Document, "A credential must be a JSON object.");
            return errors;
        }
        var contexts = ValidateCommon(credential, errors, acceptVc11);
        ScriptingLinks.Find(credential, FieldPointer.Document, errors);
        if (credential.ContainsKey("proof"))
            errors.Add("/proof", "Submit the credential without a proof; the registry adds it once anchored.");
        ValidateIssuerStatus(credential, errors);
        if (contexts is not null)
            for (var i = 0; i < contexts.Count; i++)
            {
                // The issuer's signature is over the credential's JSON-LD, which every verifier reads without the network.
                if (contexts[i] is JsonValue url && url.TryGetValue<string>(out var text) && !BundledContexts.Urls.Contains(text))
                    errors.Add($"/@context/{i}",
                        $"'{Truncate(text)}' is not a context the registry holds ({string.Join(", ", BundledContexts.Urls)}): verifiers read a credential " +
                        "without the network, so define further terms inline, in a context object.");
                if (RegistryContext.DefinesRegistryTerm(contexts[i]) && !RegistryContext.IsRegistryContext(contexts[i]))
                    errors.Add($"/@context/{i}",
                        $"this context defines {string.Join(" or ", RegistryContext.Terms)}, which the registry defines itself; " +
                        "leave it out (the registry adds its own context) or send the registry's context unchanged.");
            }
        // A badge's are checked by the Open Badges 3.0 schema (which holds the VC 2.0 one), after these checks.
        if (!IsOpenBadge(credential)) ValidateOptionalProperties(credential, errors);
        ValidateRelatedDigests(credential, errors);
        if (credential.TryGetPropertyValue("issuer", out var issuer))
        {
            if (issuer is JsonObject submittedProfile)
                foreach (var field in new[] { "name", "description" })
                    ValidateLanguageText(submittedProfile, field, $"/issuer/{field}", errors);
            var named = IssuerId(issuer);
            if (named is null)
                errors.Add("/issuer", "issuer must be a DID string or an object with an 'id'.");
            else if (named != expectedIssuer)
                errors.Add("/issuer",
                    $"issuer names '{Truncate(named)}', but this key's issuer is '{expectedIssuer}', the did:key of its signing key. " +
                    "Leave it out and the registry sets it.");
        }
        return errors;
    }

    /// <summary>Validates the credential part of a portable credential (everything but the proof).</summary>
    public static ValidationErrors ValidateIssued(JsonObject credential)
    {
        var errors = new ValidationErrors();
        var contexts = ValidateCommon(credential, errors, acceptVc11: true);
        if (!credential.TryGetPropertyValue("issuer", out var issuer))
            errors.Add("/issuer", "issuer is required.");
        else
            ValidateIssuerProfile(issuer, errors);
        if (!credential.TryGetPropertyValue("id", out _))
            errors.Add("/id", "id is required.");
        if (contexts is not null && !contexts.Any(RegistryContext.IsRegistryContext))
            errors.Add("/@context", $"@context must hold the registry's context, which defines {string.Join(" and ", RegistryContext.Terms)}, unchanged.");
        return errors;
    }

    /// <summary>
    /// The issuer as the registry writes it: a <c>Profile</c> object whose <c>id</c> is the did:key of an
    /// Ed25519 key, with a <c>name</c>.
    /// </summary>
    private static void ValidateIssuerProfile(JsonNode? issuer, ValidationErrors errors)
    {
        if (issuer is not JsonObject profile)
        {
            errors.Add("/issuer", "issuer must be a Profile object whose id is the issuer's did:key.");
            return;
        }
        var id = IssuerId(profile);
        var resolved = DidKey.Resolve(id);
        if (!resolved.Resolved || id!.Contains('#', StringComparison.Ordinal))
            errors.Add("/issuer/id", $"issuer.id must be the did:key of an Ed25519 key (did:key:z6Mk…): {resolved.Error ?? "a DID, not a verification method"}.");
        var types = ValidateTypes(profile, "/issuer/type", errors);
        if (types is not null && !types.Contains("Profile"))
            errors.Add("/issuer/type", "issuer.type must include 'Profile'.");
        if (!IsNonEmptyString(profile["name"]))
            errors.Add("/issuer/name", "issuer.name is required and must be a non-empty string.");
    }

    /// <summary>The issuer's identifier, whether <c>issuer</c> is a string or an object with an <c>id</c>.</summary>
    public static string? IssuerId(JsonNode? issuer) => issuer switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonObject profile when profile["id"] is JsonValue id && id.TryGetValue<string>(out var text) => text,
        _ => null,
    };

    /// <summary>Checks what every credential needs; returns the <c>@context</c> items, or null when there is no array.</summary>
    private static JsonArray? ValidateCommon(JsonObject credential, ValidationErrors errors, bool acceptVc11)
    {
        var contexts = ValidateContext(credential, errors, acceptVc11);
        var types = ValidateTypes(credential, "/type", errors);
        if (types is not null && !types.Contains("VerifiableCredential"))
            errors.Add("/type", "type must include 'VerifiableCredential'.");

        if (credential.TryGetPropertyValue("id", out var id))
            RequireUri(id, "/id", errors);

        ValidateSubjects(credential, errors);

        if (IsVc11(credential)) ValidateVc11Dates(credential, errors);
        else
        {
            var validFrom = OptionalDate(credential, "validFrom", errors);
            var validUntil = OptionalDate(credential, "validUntil", errors);
            if (validFrom is { } from && validUntil is { } until && until < from)
                errors.Add("/validUntil", "validUntil must not be before validFrom.");
        }

        foreach (var field in new[] { "name", "description" })
            ValidateLanguageText(credential, field, $"/{field}", errors);

        if (types is not null && types.Overlaps(BadgeTypes))
        {
            if (IsVc11(credential)) errors.Add("/@context/0", $"an Open Badges 3.0 credential is a VC 2.0 credential: its first @context item must be '{VcV2Context}'.");
            else ValidateOpenBadge(credential, contexts, errors);
        }
        return credential["@context"] as JsonArray;
    }

    /// <summary>Whether the credential's first <c>@context</c> item is VC 1.1's.</summary>
    public static bool IsVc11(JsonObject credential) => IsVc11(credential["@context"] as JsonArray);

    /// <summary>Whether the first of these <c>@context</c> items is VC 1.1's.</summary>
    public static bool IsVc11(JsonArray? contexts) =>
        contexts is [JsonValue first, ..] && first.TryGetValue<string>(out var text) && text == BundledContexts.CredentialsV1;

    /// <summary>
    /// VC 1.1 (4.6, 4.7): <c>issuanceDate</c> is required and <c>expirationDate</c> optional, each a date-time; VC 2.0's
    /// <c>validFrom</c> and <c>validUntil</c>, which the VC 1.1 context does not define, are refused by name.
    /// </summary>
    private static void ValidateVc11Dates(JsonObject credential, ValidationErrors errors)
    {
        var issued = OptionalDate(credential, "issuanceDate", errors);
        if (!credential.ContainsKey("issuanceDate")) errors.Add("/issuanceDate", "a VC 1.1 credential needs an issuanceDate, a date-time such as 2026-01-31T09:00:00Z.");
        var expires = OptionalDate(credential, "expirationDate", errors);
        if (issued is { } from && expires is { } until && until < from)
            errors.Add("/expirationDate", "expirationDate must not be before issuanceDate.");
        foreach (var (field, instead) in new[] { ("validFrom", "issuanceDate"), ("validUntil", "expirationDate") })
            if (credential.ContainsKey(field))
                errors.Add($"/{field}", $"{field} is VC 2.0's; a VC 1.1 credential names it {instead}.");
    }

    /// <summary>Whether the credential's <c>type</c> makes it an Open Badges 3.0 credential.</summary>
    public static bool IsOpenBadge(JsonObject credential) => credential["type"] switch
    {
        JsonValue single => single.TryGetValue<string>(out var one) && BadgeTypes.Contains(one),
        JsonArray array => array.Any(t => t is JsonValue v && v.TryGetValue<string>(out var text) && BadgeTypes.Contains(text)),
        _ => false,
    };

    private static List<string>? ValidateContext(JsonObject credential, ValidationErrors errors, bool acceptVc11)
    {
        if (!credential.TryGetPropertyValue("@context", out var node) || node is null)
        {
            errors.Add("/@context", $"@context is required, and its first item must be '{VcV2Context}'.");
            return null;
        }
        if (node is not JsonArray array || array.Count == 0)
        {
            errors.Add("/@context", "@context must be a non-empty array.");
            return null;
        }
        var contexts = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
            {
                if (contexts.Contains(text)) errors.Add($"/@context/{i}", $"'{Truncate(text)}' is already an earlier @context item; each item appears once.");
                contexts.Add(text);
            }
            else if (array[i] is not JsonObject { Count: > 0 }) errors.Add($"/@context/{i}", "each @context item must be a URL string or a non-empty object.");
        }
        if (!(array[0] is JsonValue first && first.TryGetValue<string>(out var firstText) && firstText == VcV2Context) && !(acceptVc11 && IsVc11(array)))
            errors.Add("/@context/0", acceptVc11
                ? $"the first @context item must be '{VcV2Context}' (VC 2.0) or '{BundledContexts.CredentialsV1}' (VC 1.1)."
                : $"the first @context item must be '{VcV2Context}'.");
        return contexts;
    }

    private static HashSet<string>? ValidateTypes(JsonObject owner, string path, ValidationErrors errors, string field = "type")
    {
        if (!owner.TryGetPropertyValue(field, out var node) || node is null)
        {
            errors.Add(path, $"{field} is required.");
            return null;
        }
        var types = new HashSet<string>(StringComparer.Ordinal);
        if (node is JsonValue single && single.TryGetValue<string>(out var one))
        {
            types.Add(one);
            return types;
        }
        if (node is JsonArray array && array.Count > 0)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonValue item && item.TryGetValue<string>(out var text)) types.Add(text);
                else errors.Add($"{path}/{i}", "each type must be a string.");
            }
            return types;
        }
        errors.Add(path, $"{field} must be a string or a non-empty array of strings.");
        return null;
    }

    private static void ValidateSubjects(JsonObject credential, ValidationErrors errors)
    {
        if (!credential.TryGetPropertyValue("credentialSubject", out var node) || node is null)
        {
            errors.Add("/credentialSubject", "credentialSubject is required.");
            return;
        }
        if (node is JsonObject subject)
        {
            if (subject.Count == 0) errors.Add("/credentialSubject", "credentialSubject must not be empty.");
            if (subject.TryGetPropertyValue("id", out var subjectId)) RequireUri(subjectId, "/credentialSubject/id", errors);
            return;
        }
        if (node is JsonArray subjects && subjects.Count > 0)
        {
            for (var i = 0; i < subjects.Count; i++)
                if (subjects[i] is not JsonObject { Count: > 0 })
                    errors.Add($"/credentialSubject/{i}", "each credentialSubject must be a non-empty object.");
            return;
        }
        errors.Add("/credentialSubject", "credentialSubject must be an object or a non-empty array of objects.");
    }

    private static void ValidateOpenBadge(JsonObject credential, List<string>? contexts, ValidationErrors errors)
    {
        if (contexts is not null && !contexts.Any(c => c.StartsWith(OpenBadgesContextPrefix, StringComparison.Ordinal)))
            errors.Add("/@context", $"an Open Badges credential must include the Open Badges 3.0 context ({OpenBadgesContextPrefix}-3.0.3.json).");
        if (!credential.TryGetPropertyValue("name", out var name) || !IsNonEmptyString(name))
            errors.Add("/name", "an Open Badges credential needs a name.");
        if (!credential.ContainsKey("validFrom"))
            errors.Add("/validFrom", "an Open Badges credential needs validFrom.");

        if (credential["credentialSubject"] is not JsonObject subject)
        {
            errors.Add("/credentialSubject", "an Open Badges credential has one credentialSubject object.");
            return;
        }
        var subjectTypes = ValidateTypes(subject, "/credentialSubject/type", errors);
        if (subjectTypes is not null && !subjectTypes.Contains("AchievementSubject"))
            errors.Add("/credentialSubject/type", "credentialSubject.type must include 'AchievementSubject'.");
        if (subject["achievement"] is not JsonObject achievement)
        {
            errors.Add("/credentialSubject/achievement", "credentialSubject.achievement is required and must be an object.");
            return;
        }
        if (!achievement.TryGetPropertyValue("id", out var achievementId)) errors.Add("/credentialSubject/achievement/id", "achievement.id is required.");
        else RequireUri(achievementId, "/credentialSubject/achievement/id", errors);
        var achievementTypes = ValidateTypes(achievement, "/credentialSubject/achievement/type", errors);
        if (achievementTypes is not null && !achievementTypes.Contains("Achievement"))
            errors.Add("/credentialSubject/achievement/type", "achievement.type must include 'Achievement'.");
        foreach (var field in new[] { "name", "description" })
            if (!achievement.TryGetPropertyValue(field, out var text) || !IsNonEmptyString(text))
                errors.Add($"/credentialSubject/achievement/{field}", $"achievement.{field} is required and must be a non-empty string.");
        if (achievement["criteria"] is not JsonObject)
            errors.Add("/credentialSubject/achievement/criteria", "achievement.criteria is required and must be an object.");
    }

    /// <summary>
    /// VC 2.0's rules for the optional properties an issuer may add: each <c>evidence</c>, <c>termsOfUse</c>,
    /// <c>refreshService</c> and <c>credentialSchema</c> object has a <c>type</c>; a <c>credentialSchema</c> has a URL
    /// <c>id</c>; each <c>relatedResource</c> object has a URL <c>id</c> no other one has and a digest (<c>digestSRI</c>
    /// or <c>digestMultibase</c>).
    /// </summary>
    private static void ValidateOptionalProperties(JsonObject credential, ValidationErrors errors)
    {
        foreach (var field in new[] { "evidence", "termsOfUse", "refreshService", "credentialSchema" })
            foreach (var (item, at) in ObjectsOf(credential, field, errors))
            {
                ValidateTypes(item, $"{at}/type", errors);
                if (field == "credentialSchema")
                {
                    if (item.TryGetPropertyValue("id", out var schemaId)) RequireUri(schemaId, $"{at}/id", errors);
                    else errors.Add($"{at}/id", "a credentialSchema needs the URL of its schema as its id.");
                }
            }

        var resources = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (item, at) in ObjectsOf(credential, "relatedResource", errors))
        {
            if (!item.TryGetPropertyValue("id", out var resourceId)) errors.Add($"{at}/id", "a relatedResource needs the URL of its resource as its id.");
            else
            {
                RequireUri(resourceId, $"{at}/id", errors);
                if (resourceId is JsonValue value && value.TryGetValue<string>(out var url) && !resources.Add(url))
                    errors.Add($"{at}/id", "each relatedResource names a resource no other one names.");
            }
            if (!IsNonEmptyString(item["digestSRI"]) && !IsNonEmptyString(item["digestMultibase"]))
                errors.Add(at, "a relatedResource needs the digest of its resource: digestSRI or digestMultibase.");
        }
    }

    /// <summary>
    /// The digests of each related resource of <paramref name="credential"/>, checked against the resource where the registry
    /// holds its bytes (<see cref="RelatedResourceDigests"/>); what a verifier checks, whatever else the credential holds.
    /// </summary>
    public static ValidationErrors ValidateRelatedDigests(JsonObject credential)
    {
        var errors = new ValidationErrors();
        ValidateRelatedDigests(credential, errors);
        return errors;
    }

    private static void ValidateRelatedDigests(JsonObject credential, ValidationErrors errors)
    {
        switch (credential["relatedResource"])
        {
            case JsonObject one:
                ValidateResourceDigests(one, "/relatedResource", errors);
                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                    if (list[i] is JsonObject resource) ValidateResourceDigests(resource, $"/relatedResource/{i}", errors);
                break;
        }
    }

    private static void ValidateResourceDigests(JsonObject resource, string at, ValidationErrors errors)
    {
        if (resource["id"] is not JsonValue id || !id.TryGetValue<string>(out var url))
            return;
        foreach (var field in new[] { "digestSRI", "digestMultibase" })
            if (resource[field] is JsonValue value && value.TryGetValue<string>(out var digest) && RelatedResourceDigests.Mismatch(url, field, digest) is { } wrong)
                errors.Add($"{at}/{field}", $"{wrong} (the resource at {url} is one the registry holds.)");
    }

    /// <summary>
    /// A <c>credentialStatus</c> of the issuer's own (VC 2.0 4.10): each entry an object with a <c>type</c> and, if it has
    /// one, a URL <c>id</c>. The registry writes its own two entries first and keeps these after them, unchecked by its
    /// verifiers, which say so; an entry may not take the type of one of the registry's, which it writes itself.
    /// </summary>
    private static void ValidateIssuerStatus(JsonObject credential, ValidationErrors errors)
    {
        foreach (var (item, at) in ObjectsOf(credential, "credentialStatus", errors))
        {
            var types = ValidateTypes(item, $"{at}/type", errors);
            if (types is not null && (types.Contains(StatusListEntry.EntryType) || types.Contains(CredentialStatusEntry.StatusType)))
                errors.Add($"{at}/type",
                    $"the registry writes the credential's {StatusListEntry.EntryType} in the issuer's status list and its {CredentialStatusEntry.StatusType} " +
                    "entry itself; leave them out (revoke through POST /credentials/{id}/revoke). A status of your own kind is kept after them, unchecked.");
            if (item.TryGetPropertyValue("id", out var statusId)) RequireUri(statusId, $"{at}/id", errors);
        }
    }

    /// <summary>The objects of a property that holds one object or an array of them, with where each is; a refusal for anything else.</summary>
    private static List<(JsonObject Item, string At)> ObjectsOf(JsonObject credential, string field, ValidationErrors errors)
    {
        var found = new List<(JsonObject, string)>();
        if (!credential.TryGetPropertyValue(field, out var node)) return found;
        if (node is JsonObject one) found.Add((one, $"/{field}"));
        else if (node is JsonArray { Count: > 0 } list)
            for (var i = 0; i < list.Count; i++)
                if (list[i] is JsonObject item) found.Add((item, $"/{field}/{i}"));
                else errors.Add($"/{field}/{i}", $"each {field} must be an object.");
        else errors.Add($"/{field}", $"{field} must be an object or a non-empty array of objects.");
        return found;
    }

    /// <summary>
    /// A <c>name</c> or <c>description</c>, if present: a string, a language value object (<c>@value</c>, with
    /// <c>@language</c> and <c>@direction</c> at most), or a non-empty array of those (VC 2.0, "Names and Descriptions").
    /// </summary>
    private static void ValidateLanguageText(JsonObject owner, string field, string at, ValidationErrors errors)
    {
        if (!owner.TryGetPropertyValue(field, out var node)) return;
        var items = node is JsonArray { Count: > 0 } list ? list.ToList() : [node];
        foreach (var item in items)
            if (!IsString(item) && !IsLanguageValue(item))
            {
                errors.Add(at, $"{field} must be a string, a language value object ({{\"@value\", \"@language\", \"@direction\"}} and nothing else) or an array of them.");
                return;
            }
    }

    private static bool IsLanguageValue(JsonNode? node) =>
        node is JsonObject value && IsString(value["@value"])
        && value.All(p => p.Key switch
        {
            "@value" => true,
            "@language" => IsNonEmptyString(p.Value),
            "@direction" => p.Value is JsonValue d && d.TryGetValue<string>(out var direction) && direction is "ltr" or "rtl",
            _ => false,
        });

    private static DateTimeOffset? OptionalDate(JsonObject credential, string field, ValidationErrors errors)
    {
        if (!credential.TryGetPropertyValue(field, out var node)) return null;
        if (node is JsonValue value && value.TryGetValue<string>(out var text) && XsdDateTime.TryParse(text, out var date))
            return date;
        errors.Add($"/{field}", $"{field} must be a date-time with a time zone, such as 2026-01-31T09:00:00Z.");
        return null;
    }

    private static void RequireUri(JsonNode? node, string field, ValidationErrors errors)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length <= MaxIdLength
            && Uri.TryCreate(text, UriKind.Absolute, out _))
            return;
        errors.Add(field, $"{field} must be an absolute URI (such as urn:uuid:… or https://…) of at most {MaxIdLength} characters.");
    }

    private static bool IsString(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String;

    private static bool IsNonEmptyString(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0;

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
