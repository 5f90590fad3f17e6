using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Api.Issuers;
using Registry.Api.Outcomes;
using Registry.Api.Storage;
using Registry.Credentials;
using Registry.Identity;
using Registry.Signatures;

namespace Registry.Api.Qualifications;

/// <summary>Who offers a qualification: the issuer's id in this registry, its name, its account's did:pkh and its signing key's did:key.</summary>
public sealed record QualificationIssuer(string Id, string Name, string Did, string? DidKey);

public sealed record QualificationCriteria(string Narrative);

public sealed record QualificationRequirement(string Achievement, string? Issuer);

/// <summary>
/// A qualification as anyone may read it. <c>Achievement</c> is the id that the credentials awarding it
/// give their <c>credentialSubject.achievement</c>, so another qualification can require this one.
/// </summary>
public sealed record QualificationView(
    string Id, string Achievement, QualificationIssuer Issuer, string Name, string Description, QualificationCriteria Criteria,
    IReadOnlyList<QualificationRequirement> Requires, int Minimum, DateTime CreatedAt);

/// <summary>
/// Defines qualifications: a name, a description, criteria, the achievements it requires (each from any
/// issuer or from the one named) and how many of them must be met. Every bad field is named by its JSON pointer.
/// </summary>
public sealed class QualificationService(IQualificationStore store, IIssuerStore issuerStore, RegistryOptions options, TimeProvider clock)
{
    public const int MaxRequirements = 100;
    public const int MaxNameLength = 200;
    public const int MaxTextLength = 10_000;

    private static readonly HashSet<string> Fields = ["name", "description", "criteria", "requires", "minimum"];

    public Outcome<QualificationView, IssuerRemoved, Invalid> Define(IssuerEntity issuer, JsonNode? body)
    {
        if (IssuerRemoved.Refuses(issuer, IssuerAct.Issue) is { } removed) return removed;
        var errors = new ValidationErrors();
        if (body is not JsonObject request)
            return new Invalid("The body must be a JSON object describing the qualification.", FieldPointer.Document, "send an object with name, description, criteria, requires and minimum.");
        foreach (var (field, _) in request)
            if (!Fields.Contains(field))
                errors.Add(FieldPointer.Child("", field), $"a qualification has no field '{FieldPointer.Shorten(field)}'; its fields are {string.Join(", ", Fields)}.");
        var name = Text(request, "name", MaxNameLength, errors);
        var description = Text(request, "description", MaxTextLength, errors);
        string? narrative = null;
        if (request["criteria"] is JsonObject criteria)
        {
            foreach (var (field, _) in criteria)
                if (field != "narrative")
                    errors.Add(FieldPointer.Child("/criteria", field), "criteria has one field, narrative.");
            narrative = Text(criteria, "narrative", MaxTextLength, errors, "/criteria");
        }
        else errors.Add("/criteria", "criteria is required: an object whose narrative says what a learner must show.");
        var requires = Requirements(request["requires"], errors);
        var minimum = requires is null ? null : Minimum(request, request["requires"]!.AsArray().Count, errors);
        if (!errors.IsEmpty) return new Invalid("The qualification is invalid; nothing was stored.", new Dictionary<string, string[]>(errors.ToDictionary()));

        var qualification = new QualificationEntity
        {
            Id = Guid.NewGuid().ToString(),
            IssuerId = issuer.Id,
            Name = name!,
            Description = description!,
            Criteria = narrative!,
            Requires = requires!,
            Minimum = minimum!.Value,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        store.Add(qualification);
        return View(qualification, issuer);
    }

    public IReadOnlyList<QualificationView> List()
    {
        var issuers = issuerStore.All().ToDictionary(i => i.Id);
        return store.List().Select(q => View(q, issuers[q.IssuerId])).ToList();
    }

    public Outcome<QualificationView, Unknown> Find(string id) =>
        store.Find(id) is { } qualification ? View(qualification, IssuerOf(qualification)) : new Unknown($"Qualification {id}");

    public IssuerEntity IssuerOf(QualificationEntity qualification) =>
        issuerStore.Find(qualification.IssuerId)
            ?? throw new InvalidOperationException($"Qualification {qualification.Id} names issuer {qualification.IssuerId}, which is not stored.");

    /// <summary>The achievement id of a qualification: its public address in this registry.</summary>
    public string AchievementOf(string qualificationId) => new Uri(options.StatusBaseUrl, $"qualifications/{qualificationId}").ToString();

    public QualificationView View(QualificationEntity q, IssuerEntity issuer) => new(
        q.Id, AchievementOf(q.Id), new QualificationIssuer(issuer.Id, issuer.Name, issuer.Did, IssuerProfile.DidKeyOf(issuer)), q.Name, q.Description,
        new QualificationCriteria(q.Criteria), q.Requires.Select(r => new QualificationRequirement(r.Achievement, r.Issuer)).ToList(), q.Minimum, q.CreatedAt);

    private List<RequirementEntity>? Requirements(JsonNode? node, ValidationErrors errors)
    {
        if (node is not JsonArray array || array.Count is 0 or > MaxRequirements)
        {
            errors.Add("/requires", $"requires must be an array of 1 to {MaxRequirements} requirements, each {{\"achievement\": \"<achievement id>\", \"issuer\": \"<issuer DID, optional>\"}}.");
            return null;
        }
        var requirements = new List<RequirementEntity>(array.Count);
        var seen = new Dictionary<(string, string?), int>();
        for (var i = 0; i < array.Count; i++)
        {
            var at = FieldPointer.Child("/requires", i);
            if (array[i] is not JsonObject item)
            {
                errors.Add(at, "each requirement must be an object with an achievement id and, optionally, an issuer DID.");
                continue;
            }
            foreach (var (field, _) in item)
                if (field is not ("achievement" or "issuer"))
                    errors.Add(FieldPointer.Child(at, field), "a requirement has two fields, achievement and issuer.");
            var achievement = CredentialClaims.Text(item["achievement"]);
            if (achievement is null || achievement.Length > CredentialValidator.MaxIdLength || !Uri.TryCreate(achievement, UriKind.Absolute, out _))
                errors.Add($"{at}/achievement", $"achievement must be the achievement id a component credential names (credentialSubject.achievement.id): an absolute URI of at most {CredentialValidator.MaxIdLength} characters.");
            else if (QualificationIdOf(achievement) is { } required && store.Find(required) is null)
                // A qualification may require another, once that one exists: so none can require itself, nor form a cycle.
                errors.Add($"{at}/achievement", $"achievement names qualification {required} of this registry, which does not exist; a qualification requires only qualifications defined before it.");
            string? issuer = null;
            if (item.TryGetPropertyValue("issuer", out var issuerNode))
            {
                issuer = CredentialClaims.Text(issuerNode);
                if (!IsIssuerDid(issuer))
                    errors.Add($"{at}/issuer", "issuer, when given, must be the issuer's did:key (its credentials' issuer.id) or its did:pkh (the account that anchors them).");
            }
            if (achievement is null) continue;
            if (seen.TryGetValue((achievement, issuer), out var first))
                errors.Add(at, $"this requirement repeats requirement {first}.");
            else seen[(achievement, issuer)] = i;
            requirements.Add(new RequirementEntity { Achievement = achievement, Issuer = issuer is null ? null : NormalIssuer(issuer) });
        }
        return requirements;
    }

    private static int? Minimum(JsonObject request, int count, ValidationErrors errors)
    {
        if (!request.TryGetPropertyValue("minimum", out var node)) return count;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var minimum)
            && minimum >= 1 && minimum <= count && value.ToJsonString().All(char.IsAsciiDigit))
            return minimum;
        errors.Add("/minimum", $"minimum must be a whole number from 1 to {count}, the number of requirements (left out, all of them are required).");
        return null;
    }

    /// <summary>The qualification id of an achievement id that is a qualification of this registry, else null.</summary>
    public string? QualificationIdOf(string achievement)
    {
        var prefix = AchievementOf("");
        return achievement.StartsWith(prefix, StringComparison.Ordinal) ? achievement[prefix.Length..] : null;
    }

    public static bool IsIssuerDid(string? did) =>
        did is not null && (IssuerDid.TryParse(did, out _) || (did.StartsWith(DidKey.Prefix, StringComparison.Ordinal) && !did.Contains('#') && DidKey.Resolve(did).Resolved));

    /// <summary>A did:pkh with its address in the one form the registry writes; a did:key as given.</summary>
    private static string NormalIssuer(string did) => IssuerDid.TryParse(did, out var account) ? account.ToString() : did;

    private static string? Text(JsonObject owner, string field, int maxLength, ValidationErrors errors, string at = "")
    {
        var text = CredentialClaims.Text(owner[field]);
        if (text is { Length: > 0 } && text.Length <= maxLength && !string.IsNullOrWhiteSpace(text)) return text;
        errors.Add($"{at}/{field}", $"{field} is required: a non-empty string of at most {maxLength:N0} characters.");
        return null;
    }
}
