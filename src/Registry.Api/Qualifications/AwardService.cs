using System.Text.Json.Nodes;
using Registry.Api.Anchoring;
using Registry.Api.Credentials;
using Registry.Api.Issuers;
using Registry.Api.Outcomes;
using Registry.Api.Storage;
using Registry.Credentials;
using Registry.LinkedData;
using Registry.Portfolio;
using Registry.Stacks;
using Registry.Verification;

namespace Registry.Api.Qualifications;

/// <summary>
/// Awards a qualification: verifies each component credential with the full pipeline, checks that each
/// is the subject's and meets a requirement no other component meets, and that enough are met; then
/// issues the qualification as an Open Badges 3.0 credential whose <c>evidence</c> references every
/// component (<see cref="ComponentReference"/>), and records which components the award rests on.
/// A refusal names each failing component by its pointer (<c>/components/2</c>) and why; nothing is stored.
/// </summary>
public sealed class AwardService(
    IQualificationStore store, QualificationService qualifications, PortfolioVerifier verifier, IssuanceService issuance, TimeProvider clock)
{
    public async Task<Outcome<AcceptedCredential, Unknown, IssuerRemoved, NotPermitted, Invalid>> AwardAsync(
        string qualificationId, IssuerEntity issuer, JsonNode? body, CancellationToken cancellationToken)
    {
        if (store.Find(qualificationId) is not { } qualification) return new Unknown($"Qualification {qualificationId}");
        if (qualification.IssuerId != issuer.Id)
            return new NotPermitted("Only the issuer that defined a qualification awards it; this one is another issuer's.");
        if (IssuerRemoved.Refuses(issuer, IssuerAct.Issue) is { } removed) return removed;

        var errors = new ValidationErrors();
        var request = Read(body, errors);
        if (request is null) return Refused(errors, "The award request is invalid; nothing was stored.");
        var (subject, components) = request.Value;

        var report = await verifier.VerifyAsync(components, cancellationToken);
        var good = new List<(int Index, JsonObject Credential, VerificationReport Report)>();
        foreach (var entry in report.Credentials)
        {
            var at = $"/components/{entry.Index - 1}";
            var credential = components[entry.Index - 1];
            if (entry.Report.Outcome == VerificationOutcome.CouldNotCheck)
                throw new ChainUnavailableException($"Component {entry.Index - 1} could not be verified now: {entry.Report.FirstFailure?.Message} Try again later.");
            if (!entry.Report.Verified)
            {
                var failed = entry.Report.FirstFailure!;
                errors.Add(at, $"{Why(failed.Name)}: it fails the {failed.Name} check. {failed.Message}");
                continue;
            }
            var holder = CredentialClaims.Text(CredentialClaims.Field(CredentialClaims.Subject(credential), "id"));
            if (holder != subject)
            {
                errors.Add(at, $"of another subject: its credentialSubject.id is '{FieldPointer.Shorten(holder)}', and the award's subject is '{FieldPointer.Shorten(subject)}'.");
                continue;
            }
            good.Add((entry.Index - 1, credential, entry.Report));
        }

        var matched = Match(qualification, good, errors);
        if (matched.Count < qualification.Minimum)
            errors.Add("/components", $"too few: {matched.Count} of the qualification's {qualification.Requires.Count} requirements are met by components " +
                $"that verify, and it needs {qualification.Minimum}.");
        if (!errors.IsEmpty) return Refused(errors, "The qualification cannot be awarded; nothing was stored.");

        var references = good.Select(g => ComponentReference.Of(g.Credential, ProofSetOf(g.Credential, g.Report))).ToList();
        var document = Credential(qualification, subject, references);
        // The award's record is written first, then the credential: a crash between the two leaves a record whose
        // credential was never stored, which the stores ignore (docs/DESIGN.md, crash safety), never a credential
        // without the record that names its components to the audit.
        var issued = issuance.Issue(issuer, [document], bulk: false, beforeStoring: items => store.AddAward(new AwardEntity
        {
            Id = items[0].Id,
            QualificationId = qualification.Id,
            IssuerId = issuer.Id,
            Subject = subject,
            AwardedAt = clock.GetUtcNow().UtcDateTime,
            Components = references.Select(r => new ComponentEntity
            {
                CredentialId = r.Id, Title = r.Name, Issuer = r.Issuer, IssuerAccount = r.AnchoredBy.ToString(), Digest = r.Digest.ToString(),
                ChainId = r.ChainId, Registry = r.Registry,
            }).ToList(),
            ComponentDigests = references.Select(r => r.Digest.ToString()).ToList(),
        }));
        if (issued.Refusal is { } refusal)
            throw new InvalidOperationException($"The registry wrote a qualification credential it refuses to issue: {refusal.Detail} {(refusal as Invalid)?.Errors?.Keys.FirstOrDefault()}");
        var item = issued.Value![0];
        return new AcceptedCredential(item.Id, item.Digest, "pending");
    }

    /// <summary>The qualification's credential: the achievement is the qualification itself, the evidence its components.</summary>
    private JsonObject Credential(QualificationEntity qualification, string subject, IReadOnlyList<ComponentReference> components) => new()
    {
        ["@context"] = new JsonArray(BundledContexts.CredentialsV2, BundledContexts.OpenBadgesV3, StacksContext.Create()),
        ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
        ["name"] = qualification.Name,
        ["validFrom"] = XsdDateTime.Format(clock.GetUtcNow()),
        ["credentialSubject"] = new JsonObject
        {
            ["id"] = subject,
            ["type"] = new JsonArray("AchievementSubject"),
            ["achievement"] = new JsonObject
            {
                ["id"] = qualifications.AchievementOf(qualification.Id),
                ["type"] = new JsonArray("Achievement"),
                ["name"] = qualification.Name,
                ["description"] = qualification.Description,
                ["criteria"] = new JsonObject { ["narrative"] = qualification.Criteria },
            },
        },
        ["evidence"] = new JsonArray(components.Select(c => (JsonNode)c.ToJson()).ToArray()),
    };

    /// <summary>
    /// Which requirement each verified component meets: a maximum matching (each requirement met once, each
    /// component counted once). A component that meets none, or only requirements others meet, is named.
    /// </summary>
    private static Dictionary<int, int> Match(QualificationEntity qualification, List<(int Index, JsonObject Credential, VerificationReport Report)> good,
        ValidationErrors errors)
    {
        var meets = good.Select(g => Enumerable.Range(0, qualification.Requires.Count)
            .Where(r => Meets(qualification.Requires[r], g.Credential, g.Report)).ToList()).ToList();
        var holder = new int?[qualification.Requires.Count];
        for (var c = 0; c < good.Count; c++) Augment(c, meets, holder, new bool[qualification.Requires.Count]);
        var matched = new Dictionary<int, int>();
        for (var r = 0; r < holder.Length; r++)
            if (holder[r] is { } c) matched[c] = r;
        for (var c = 0; c < good.Count; c++)
        {
            if (matched.ContainsKey(c)) continue;
            var achievement = CredentialClaims.Text(CredentialClaims.Field(CredentialClaims.Achievement(good[c].Credential), "id"));
            errors.Add($"/components/{good[c].Index}", meets[c].Count == 0
                ? $"requirement not met: its achievement '{FieldPointer.Shorten(achievement)}' from {good[c].Report.IssuerId} is none the qualification requires."
                : $"requirement met already: the requirement it meets ({string.Join(", ", meets[c].Select(r => $"/requires/{r}"))}) is met by another component.");
        }
        return matched;
    }

    private static bool Augment(int component, List<List<int>> meets, int?[] holder, bool[] seen)
    {
        foreach (var requirement in meets[component])
        {
            if (seen[requirement]) continue;
            seen[requirement] = true;
            if (holder[requirement] is not { } other || Augment(other, meets, holder, seen))
            {
                holder[requirement] = component;
                return true;
            }
        }
        return false;
    }

    private static bool Meets(RequirementEntity requirement, JsonObject credential, VerificationReport report) =>
        CredentialClaims.Text(CredentialClaims.Field(CredentialClaims.Achievement(credential), "id")) == requirement.Achievement
        && (requirement.Issuer is null || requirement.Issuer == report.IssuerId || requirement.Issuer == report.IssuerAccount);

    /// <summary>Why a component that failed at <paramref name="check"/> cannot count, in the words a learner's issuer knows.</summary>
    private static string Why(string check) => check switch
    {
        "format" => "not a portable credential",
        "digest" or "signature" or "merkle" => "tampered",
        "registry" => "from a registry this one does not trust",
        "anchor" => "not anchored as its proof says",
        "issuer" => "voided or untrusted: its issuer was not trusted when it anchored it",
        "revocation" => "revoked",
        "validity" => "not valid today",
        "components" => "a qualification whose components do not all hold",
        _ => "does not verify",
    };

    private static ProofSet ProofSetOf(JsonObject credential, VerificationReport report) =>
        ProofSet.TryParse(credential["proof"], report.IssuerId, new ValidationErrors())
            ?? throw new InvalidOperationException("A component that verified has a proof set that does not read.");

    private static (string Subject, List<JsonObject> Components)? Read(JsonNode? body, ValidationErrors errors)
    {
        if (body is not JsonObject request)
        {
            errors.Add(FieldPointer.Document, "send an object: {\"subject\": \"<credentialSubject.id>\", \"components\": [portable credentials]}.");
            return null;
        }
        foreach (var (field, _) in request)
            if (field is not ("subject" or "components"))
                errors.Add(FieldPointer.Child("", field), "an award has two fields, subject and components.");
        var subject = CredentialClaims.Text(request["subject"]);
        if (subject is null || subject.Length > CredentialValidator.MaxIdLength || !Uri.TryCreate(subject, UriKind.Absolute, out _))
            errors.Add("/subject", $"subject must be the learner's credentialSubject.id: an absolute URI of at most {CredentialValidator.MaxIdLength} characters.");
        if (request["components"] is not JsonArray array || array.Count is 0 or > ComponentReference.MaxComponents)
        {
            errors.Add("/components", $"components must be an array of 1 to {ComponentReference.MaxComponents} portable credentials (each credential.json as the registry hands it out).");
            return null;
        }
        var components = new List<JsonObject>(array.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject component || !component.ContainsKey("proof"))
            {
                errors.Add($"/components/{i}", "not a portable credential: give the credential.json of an anchored credential, with its proof.");
                continue;
            }
            // The same credential twice, by id or by its anchor's digest, counts once and is refused.
            foreach (var key in new[] { CredentialClaims.Text(component["id"]), DigestOf(component) }.OfType<string>())
            {
                if (seen.TryGetValue(key, out var first))
                {
                    errors.Add($"/components/{i}", $"repeated: it is component {first} again.");
                    break;
                }
                seen[key] = i;
            }
            components.Add(component);
        }
        return errors.IsEmpty && subject is not null ? (subject, components) : null;
    }

    private static string? DigestOf(JsonObject component) =>
        component["proof"] is JsonArray { Count: > 0 } set && set[0] is JsonObject anchor ? "digest:" + CredentialClaims.Text(anchor["digest"]) : null;

    private static Invalid Refused(ValidationErrors errors, string detail) => new(detail, new Dictionary<string, string[]>(errors.ToDictionary()));
}
