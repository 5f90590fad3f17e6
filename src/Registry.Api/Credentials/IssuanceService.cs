using System.Text;
using System.Text.Json.Nodes;
using Registry.Api.Anchoring;
using Registry.Api.Problems;
using Registry.Api.Storage;
using Registry.Canonical;
using Registry.Credentials;
using Registry.Identity;

namespace Registry.Api.Credentials;

public sealed record IssuedItem(string Id, string Digest);

/// <summary>
/// Accepts credentials from an issuer: validates every one, sets <c>id</c> and <c>issuer</c>, salts and
/// digests them, and stores them all in one transaction before anything is acknowledged.
/// </summary>
public sealed class IssuanceService(RegistryDatabase database, PendingCredentials pending, TimeProvider clock)
{
    public const int MaxBulkItems = 10_000;

    public IReadOnlyList<IssuedItem> Issue(IssuerEntity issuer, IReadOnlyList<JsonNode?> documents, bool bulk)
    {
        if (issuer.RemovedAt is not null)
            throw new ProblemException(StatusCodes.Status403Forbidden, "Issuer removed", "This issuer was removed from the registry and can no longer issue.");
        if (!IssuerDid.TryParse(issuer.Did, out var did)) throw new InvalidOperationException($"Stored DID '{issuer.Did}' is malformed.");

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var now = clock.GetUtcNow().UtcDateTime;
        var entities = new List<CredentialEntity>(documents.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            var prefix = bulk ? $"[{i}]." : "";
            var problems = CredentialValidator.ValidateSubmission(documents[i], did);
            if (!problems.IsEmpty)
            {
                foreach (var (field, messages) in problems.ToDictionary()) errors[prefix + field] = messages;
                continue;
            }
            var id = Guid.NewGuid().ToString();
            var credential = Prepare((JsonObject)documents[i]!, id, did, issuer.Name);
            byte[] canonical;
            try
            {
                canonical = Jcs.Canonicalize(credential);
            }
            catch (JcsException e)
            {
                errors[prefix + "$"] = [$"The credential has no canonical JSON form: {e.Message}"];
                continue;
            }
            var salt = CredentialDigest.NewSalt();
            entities.Add(new CredentialEntity
            {
                Id = id,
                IssuerId = issuer.Id,
                Salt = salt.ToString(),
                Digest = CredentialDigest.Compute(salt, canonical).ToString(),
                Document = Encoding.UTF8.GetString(canonical),
                CreatedAt = now,
                PendingFor = issuer.Id,
            });
        }
        if (errors.Count > 0)
            throw ProblemException.Validation(
                bulk ? $"{errors.Keys.Select(k => k[..(k.IndexOf(']') + 1)]).Distinct().Count()} of {documents.Count} credentials are invalid; none was stored." : "The credential is invalid.",
                errors);

        database.InTransaction(() => database.Credentials.InsertBulk(entities, batchSize: 20_000));
        pending.Added(issuer.Id, entities.Count, now);
        return entities.Select(e => new IssuedItem(e.Id, e.Digest)).ToList();
    }

    /// <summary>The credential as it will be anchored: the submitted one with the registry's <c>id</c> (when none was given) and <c>issuer</c>.</summary>
    private static JsonObject Prepare(JsonObject submitted, string id, IssuerDid did, string issuerName)
    {
        var credential = (JsonObject)submitted.DeepClone();
        if (!credential.ContainsKey("id")) credential["id"] = $"urn:uuid:{id}";
        credential["issuer"] = new JsonObject
        {
            ["id"] = did.ToString(),
            ["type"] = new JsonArray("Profile"),
            ["name"] = issuerName,
        };
        return credential;
    }
}
