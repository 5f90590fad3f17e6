using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Api.Anchoring;
using Registry.Api.Issuers;
using Registry.Api.Outcomes;
using Registry.Api.Storage;
using Registry.Canonical;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Identity;
using Registry.Signatures;

namespace Registry.Api.Credentials;

public sealed record IssuedItem(string Id, string Digest);

/// <summary>
/// Accepts credentials from an issuer: validates every one, adds what the registry writes (<c>id</c>,
/// <c>issuer</c>, its JSON-LD context, <c>credentialStatus</c>), checks a badge against the Open Badges 3.0 schema,
/// salts and digests them, and stores them all in one transaction before anything is acknowledged. Each
/// credential gets the issuer's next status index; a request reserves its range at once.
/// </summary>
public sealed class IssuanceService(ICredentialStore store, RegistryChain chain, RegistryOptions options, TimeProvider clock)
{
    public const int MaxBulkItems = 10_000;
    private const int ParallelThreshold = 64;

    public Outcome<List<IssuedItem>, IssuerRemoved, Invalid> Issue(
        IssuerEntity issuer, IReadOnlyList<JsonNode?> documents, bool bulk, Action<IReadOnlyList<IssuedItem>>? beforeStoring = null) =>
        Issue(issuer, documents, bulk, beforeStoring, sign: null, acceptVc11: false);

    /// <summary>
    /// Issues one credential and signs it at once (<c>POST /credentials/issue</c>): the issuer's <c>eddsa-rdfc-2022</c>
    /// proof over the stored credential, made as <see cref="CredentialViews.Portable"/> makes it once the credential is
    /// anchored (the same key, the same <c>created</c>, the moment it was accepted), so both are the same signature. A
    /// credential that cannot be canonicalised is refused before anything is stored. With <paramref name="acceptVc11"/> (the VC
    /// API route), a VC 1.1 credential is issued too (docs/STANDARDS.md, "VC 1.1 credentials").
    /// </summary>
    public Outcome<(IssuedItem Item, JsonObject Signed), IssuerRemoved, Invalid> IssueSigned(IssuerEntity issuer, JsonNode? document, Ed25519KeyPair key, bool acceptVc11 = false)
    {
        JsonObject? signed = null;
        var outcome = Issue(issuer, [document], bulk: false, beforeStoring: null, acceptVc11: acceptVc11, sign: credential =>
        {
            var stored = (JsonObject)StrictJson.Parse(credential.Document)!;
            stored["proof"] = EddsaRdfc2022.CreateProof(stored, key, new DateTimeOffset(DateTime.SpecifyKind(credential.CreatedAt, DateTimeKind.Utc)));
            signed = stored;
        });
        return outcome.Refusal switch
        {
            IssuerRemoved removed => removed,
            Invalid invalid => invalid,
            _ => (outcome.Value![0], signed!),
        };
    }

    /// <summary>
    /// Whether <see cref="IssueSigned"/> would issue the credential as it is (validated, canonicalised, signed with
    /// <paramref name="key"/>), without storing anything or using a status index: how an offer is checked before a learner claims it.
    /// </summary>
    public Outcome<bool, IssuerRemoved, Invalid> Check(IssuerEntity issuer, JsonNode? document, Ed25519KeyPair key)
    {
        var fields = FieldsOf(issuer);
        if (fields.Refusal is IssuerRemoved removed) return removed;
        var (_, errors) = Prepare(document?.DeepClone(), fields.Value!, 0, clock.GetUtcNow().UtcDateTime, Guid.Empty, default, acceptVc11: false, credential =>
            EddsaRdfc2022.CreateProof((JsonObject)StrictJson.Parse(credential.Document)!, key, clock.GetUtcNow()));
        return errors is null ? true : new Invalid("The credential is invalid.", new Dictionary<string, string[]>(errors));
    }

    /// <summary>What the registry writes into each credential of <paramref name="issuer"/>; refused for an issuer that may no longer issue.</summary>
    private Outcome<RegistryFieldsOf, IssuerRemoved> FieldsOf(IssuerEntity issuer)
    {
        if (IssuerRemoved.Refuses(issuer, IssuerAct.Issue) is { } removed) return removed;
        if (!IssuerDid.TryParse(issuer.Did, out var did)) throw new InvalidOperationException($"Stored DID '{issuer.Did}' is malformed.");
        // An issuer exists only once the chain was reached, so the contract is known even while the chain is down.
        var contract = chain.KnownContract ?? throw new ChainUnavailableException("The registry has not reached its chain yet, so it does not know its contract.");
        // The credential's issuer is the did:key of the signing key the chain binds to the account.
        var didKey = Issuers.IssuerProfile.DidKeyOf(issuer)
            ?? throw new ChainUnavailableException("The issuer's signing key is not yet bound to its account on chain; it is, once the registry reaches its chain.");
        var profile = new IssuerProfileFields(didKey, issuer.Name, issuer.Url, issuer.Description);
        return new RegistryFieldsOf(didKey, RegistryFields.Fragments.Of(profile, CredentialStatusEntry.For(did, contract)), options.StatusBaseUrl, issuer.Id);
    }

    private Outcome<List<IssuedItem>, IssuerRemoved, Invalid> Issue(
        IssuerEntity issuer, IReadOnlyList<JsonNode?> documents, bool bulk, Action<IReadOnlyList<IssuedItem>>? beforeStoring, Action<NewCredential>? sign, bool acceptVc11)
    {
        var fields = FieldsOf(issuer);
        if (fields.Refusal is IssuerRemoved removed) return removed;
        var registryFields = fields.Value!;

        var now = clock.GetUtcNow().UtcDateTime;
        var firstIndex = store.ReserveStatusIndexes(issuer.Id, documents.Count);
        var outcomes = PrepareAll(documents, registryFields, firstIndex, now, acceptVc11, sign);

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var entities = new List<NewCredential>(outcomes.Length);
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i].Entity is { } entity) entities.Add(entity);
            else foreach (var (field, messages) in outcomes[i].Errors!) errors[(bulk ? FieldPointer.Child("", i) : "") + field] = messages;
        }
        if (errors.Count > 0)
        {
            store.ReleaseStatusIndexes(issuer.Id, firstIndex, outcomes.Length);
            return new Invalid(
                bulk ? $"{outcomes.Count(o => o.Entity is null)} of {outcomes.Length} credentials are invalid; none was stored." : "The credential is invalid.",
                errors);
        }

        var items = entities.Select(e => new IssuedItem(e.Id.ToString(), e.Digest.ToString())).ToList();
        // What must be on disk before the credentials are (an award's record): a crash between the two leaves a record
        // that names a credential never stored, which every read ignores.
        beforeStoring?.Invoke(items);
        store.Add(issuer.Id, entities);
        return items;
    }

    /// <summary>
    /// <see cref="Prepare"/> for each document, with consecutive status indexes from <paramref name="firstIndex"/>. Each is
    /// validated, canonicalised and hashed on its own, so large requests use every core. Nothing here outlives the call:
    /// the documents' trees (several megabytes for a bulk request) can be collected while the credentials are stored.
    /// </summary>
    private static (NewCredential? Entity, IDictionary<string, string[]>? Errors)[] PrepareAll(
        IReadOnlyList<JsonNode?> documents, RegistryFieldsOf fields, long firstIndex, DateTime now, bool acceptVc11, Action<NewCredential>? sign)
    {
        var random = new RequestRandomness(documents.Count);
        var outcomes = new (NewCredential? Entity, IDictionary<string, string[]>? Errors)[documents.Count];
        if (documents.Count >= ParallelThreshold)
            Parallel.For(0, documents.Count, i => outcomes[i] = Prepare(documents[i], fields, firstIndex + i, now, random.Id(i), random.Salt(i), acceptVc11, sign));
        else
            for (var i = 0; i < documents.Count; i++) outcomes[i] = Prepare(documents[i], fields, firstIndex + i, now, random.Id(i), random.Salt(i), acceptVc11, sign);
        return outcomes;
    }

    /// <summary>What the registry writes into every credential of one issuer, canonicalised once per request.</summary>
    /// <param name="IssuerKey">The did:key the credentials name as their issuer.</param>
    private sealed record RegistryFieldsOf(string IssuerKey, RegistryFields.Fragments Fragments, Uri StatusBaseUrl, string IssuerId);

    /// <summary>
    /// Validates one submitted document and turns it into the stored credential: the registry's fields
    /// added, a badge checked against the Open Badges 3.0 schema, salted, digested, and signed when <paramref name="sign"/>
    /// is given. The document is modified in place. A VC 1.1 credential only with <paramref name="acceptVc11"/>, and only signed.
    /// </summary>
    private static (NewCredential? Entity, IDictionary<string, string[]>? Errors) Prepare(
        JsonNode? document, RegistryFieldsOf fields, long statusIndex, DateTime now, Guid id, Bytes32 salt, bool acceptVc11, Action<NewCredential>? sign)
    {
        var problems = CredentialValidator.ValidateSubmission(document, fields.IssuerKey, acceptVc11 && sign is not null);
        if (!problems.IsEmpty) return (null, problems.ToDictionary());

        var credential = (JsonObject)document!;
        RegistryFields.ApplyForDigest(credential, RegistryIds.CredentialUrn(id), fields.Fragments, StatusListEntry.For(fields.StatusBaseUrl, fields.IssuerId, statusIndex));
        byte[] canonical;
        try
        {
            canonical = Jcs.Canonicalize(credential);
        }
        catch (JcsException e)
        {
            return (null, new Dictionary<string, string[]> { [FieldPointer.Document] = [$"The credential has no canonical JSON form: {e.Message}"] });
        }
        if (CredentialValidator.IsOpenBadge(credential))
        {
            using var parsed = JsonDocument.Parse(canonical);
            CredentialSchemas.ValidateOpenBadge(parsed.RootElement, problems);
            if (!problems.IsEmpty) return (null, problems.ToDictionary());
        }

        var entity = new NewCredential(id, now, salt, CredentialDigest.Compute(salt, canonical), canonical, statusIndex);
        try
        {
            sign?.Invoke(entity);
        }
        catch (Exception e) when (e is LinkedData.JsonLdException or LinkedData.RdfcLimitExceededException)
        {
            return (null, new Dictionary<string, string[]> { [FieldPointer.Document] = [$"The credential cannot be signed: it cannot be canonicalised ({e.Message})."] });
        }
        return (entity, null);
    }

    /// <summary>
    /// The random id (a version 4 UUID) and salt of each credential of a request, drawn from the system's
    /// secure generator in one call for the request rather than two system calls a credential (docs/BENCHMARKS.md).
    /// </summary>
    private sealed class RequestRandomness(int count)
    {
        private const int IdBytes = 16;
        private const int PerCredential = IdBytes + Bytes32.Length;

        private readonly byte[] _bytes = RandomNumberGenerator.GetBytes(count * PerCredential);

        public Guid Id(int i)
        {
            var bytes = _bytes.AsSpan(i * PerCredential, IdBytes);
            // RFC 9562: the version (4, random) in the high nibble of the time_hi field, the variant 10 in the clock_seq field.
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes);
        }

        public Bytes32 Salt(int i) => Bytes32.FromSpan(_bytes.AsSpan(i * PerCredential + IdBytes, Bytes32.Length));
    }
}
