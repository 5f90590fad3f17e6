using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Registry.Api.Outcomes;
using Registry.Api.Problems;
using Registry.Api.Storage;
using Registry.Api.Verification;
using Registry.Canonical;
using Registry.Credentials;
using Registry.LinkedData;
using Registry.Signatures;
using Registry.Verification;

namespace Registry.Api.VcApi;

/// <summary>
/// The answer of <c>POST /credentials/verify</c> for a credential that passed: the checks it passed, in order;
/// <c>evidence</c> <c>signature</c> (its Data Integrity proof alone) or <c>signature-and-chain</c> (the registry's anchor
/// proof too, checked against the chain: <c>verification</c> is then the full answer of <c>POST /verify</c>);
/// <c>anchoring</c> <c>pending</c> for a credential of this registry not yet anchored, <c>anchored</c> once it is
/// (with the address of the anchored copy when the one sent has no anchor proof), null for a credential of no
/// registry this one knows.
/// </summary>
public sealed record CredentialVerdict(
    bool Verified,
    IReadOnlyList<string> Checks,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Errors,
    string Evidence,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Anchoring,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Issuer,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] VerificationView? Verification);

/// <summary>
/// The general verifier of the W3C VC API routes: any VC 2.0 (or VC 1.1) credential with an <c>eddsa-rdfc-2022</c> Data
/// Integrity proof or an <c>Ed25519Signature2020</c> proof is checked by that proof, its key read from the did:key of its verification method (resolved locally, no network), and the
/// key's DID must be the credential's issuer. Where the registry's anchor proof is in the proof set, every check of
/// <see cref="CredentialVerifier"/> runs as well. A credential this registry issued through <c>POST /credentials/issue</c>
/// and has not anchored yet verifies by its signature and says <c>anchoring: pending</c>.
/// </summary>
public sealed class VcApiVerifier(CredentialVerifier registryVerifier, ICredentialStore store, IBatchStore batches, IRevocationStore revocations,
    TimeProvider clock)
{
    public const string Vc2Context = "https://www.w3.org/ns/credentials/v2";
    public const string Authentication = "authentication";

    private static readonly IEd25519Verifier Ed25519 = SodiumEd25519.OrManaged();

    /// <summary>Verifies one credential found at <paramref name="at"/> in the request; the first failed check is the refusal.</summary>
    public async Task<Outcome<CredentialVerdict, FailedCheck>> VerifyCredentialAsync(JsonNode? node, ProofOptions options, string at, CancellationToken ct)
    {
        var checks = new List<string>();
        if (FormatProblem(node, "VerifiableCredential", acceptVc11: true) is { } format) return new FailedCheck("format", at, format);
        var credential = (JsonObject)node!;
        var issuer = IdOf(credential["issuer"]);
        if (issuer is null) return new FailedCheck("format", at, "The credential has no issuer: a URL, or an object whose id is one.");
        if (credential["credentialSubject"] is not (JsonObject or JsonArray { Count: > 0 }))
            return new FailedCheck("format", at, "The credential has no credentialSubject.");
        var vc11 = FirstContext(credential) == BundledContexts.CredentialsV1;
        if (vc11 && Date(credential, "issuanceDate") is null)
            return new FailedCheck("format", at, "A VC 1.1 credential needs an issuanceDate, an XML Schema dateTime.");
        // VC 2.0 5.3: a related resource's digest that does not match the resource (one whose bytes the registry holds) is an error.
        if (CredentialValidator.ValidateRelatedDigests(credential) is { IsEmpty: false } digests)
            return new FailedCheck("format", at, $"A related resource's digest does not match it: {digests}");
        checks.Add("format");

        var proofs = ProofsOf(credential);
        var signatures = proofs.Where(IsSupported).ToList();
        if (signatures.Count == 0)
            return new FailedCheck("proof", at,
                $"The credential has no proof this verifier supports: a {EddsaRdfc2022.ProofType} of cryptosuite {EddsaRdfc2022.Cryptosuite}, or an {Ed25519Signature2020.ProofType}.");
        foreach (var proof in signatures)
            if (options.Refusal(proof, at) is { } refused) return refused;
        checks.Add("proof");

        // Every proof of the set must verify (W3C Data Integrity, proof sets and chains); the issuer's is among them.
        string? signer = null;
        foreach (var proof in signatures)
        {
            if (PreviousProofs(proof, proofs, out var previous) is { } broken) return new FailedCheck("proof", at, broken);
            var verified = IsEddsa(proof)
                ? EddsaRdfc2022.VerifyProof(credential, proof, ed25519: Ed25519, previousProofs: previous)
                : Ed25519Signature2020.VerifyProof(credential, proof, ed25519: Ed25519, previousProofs: previous);
            if (!verified.Verified) return new FailedCheck("signature", at, $"The {SuiteOf(proof)} proof does not verify: {verified.Reason}.");
            var by = verified.VerificationMethod!.Split('#')[0];
            if (signer != issuer) signer = by;
        }
        checks.Add("signature");

        // The issuer must control a key that signed: a did:key's only controller is itself.
        if (signer != issuer)
            return new FailedCheck("issuer", at, $"The credential is signed with {signer}, which is not its issuer {issuer}.");
        checks.Add("issuer");

        var now = clock.GetUtcNow();
        // VC 1.1 names the validity period issuanceDate (required there) and expirationDate.
        if (Date(credential, vc11 ? "issuanceDate" : "validFrom") is { } from && from > now)
            return new FailedCheck("validity", at, $"The credential is valid from {XsdDateTime.Format(from)}, which has not come yet.");
        if (Date(credential, vc11 ? "expirationDate" : "validUntil") is { } until && until < now)
            return new FailedCheck("validity", at, $"The credential expired at {XsdDateTime.Format(until)}.");
        checks.Add("validity");

        if (proofs.Any(p => Text(p, "type") == AnchorProof.ProofType))
        {
            // The registry's own verifier runs every chain check, and the signature again within them.
            var report = await registryVerifier.VerifyAsync(credential, ct);
            if (report.Outcome == VerificationOutcome.CouldNotCheck)
                throw new ProblemException(StatusCodes.Status503ServiceUnavailable, "Could not check",
                    $"The credential carries an anchor proof, but the chain could not be read ({report.FirstFailure!.Name}: {report.FirstFailure.Message}); no verdict.");
            if (report.FirstFailure is { } failure) return new FailedCheck(failure.Name, at, failure.Message);
            checks.AddRange(report.Checks.Select(c => c.Name).Where(name => !checks.Contains(name)));
            return new CredentialVerdict(true, checks, UncheckedStatus(credential, registryChecked: true), [], "signature-and-chain", "anchored", issuer,
                VerificationView.Of(report));
        }

        var warnings = new List<string>();
        var anchoring = AnchoringOf(credential, warnings, out var revoked);
        if (revoked is { } revocation) return new FailedCheck("revocation", at, revocation);
        warnings.AddRange(UncheckedStatus(credential, registryChecked: anchoring is not null));
        return new CredentialVerdict(true, checks, warnings, [], "signature", anchoring, issuer, null);
    }

    /// <summary>
    /// Verifies a presentation: its holder's <c>authentication</c> proof (<c>eddsa-rdfc-2022</c> by a did:key), whose
    /// <c>challenge</c> must be the one in <paramref name="options"/> and <c>domain</c> the one there if any, then each
    /// credential inside as <see cref="VerifyCredentialAsync"/> does.
    /// </summary>
    public async Task<Outcome<PresentationVerdict, FailedCheck>> VerifyPresentationAsync(JsonNode? node, ProofOptions options, CancellationToken ct)
    {
        const string at = "/verifiablePresentation";
        if (FormatProblem(node, "VerifiablePresentation") is { } format) return new FailedCheck("format", at, format);
        var presentation = (JsonObject)node!;
        var credentials = presentation["verifiableCredential"] switch
        {
            null => [],
            JsonArray list => list.ToList(),
            var one => [one],
        };
        var checks = new List<string> { "format" };

        // A holder's proof is eddsa-rdfc-2022, or Ed25519Signature2020 as wallets such as the Learner Credential Wallet sign.
        var signatures = ProofsOf(presentation).Where(IsSupported).ToList();
        if (signatures.Count != 1)
            return new FailedCheck("proof", at,
                $"The presentation must hold one {EddsaRdfc2022.Cryptosuite} or {Ed25519Signature2020.ProofType} proof by its holder; it holds {signatures.Count}.");
        var signature = signatures[0];
        if (options.Refusal(signature, at) is { } refused) return refused;
        checks.AddRange(["proof", "challenge", "domain"]);

        var verified = IsEddsa(signature)
            ? EddsaRdfc2022.VerifyProof(presentation, signature, expectedProofPurpose: Authentication, ed25519: Ed25519)
            : Ed25519Signature2020.VerifyProof(presentation, signature, Authentication, Ed25519);
        if (!verified.Verified) return new FailedCheck("signature", at, $"The holder's proof does not verify: {verified.Reason}.");
        checks.Add("signature");

        var signer = verified.VerificationMethod!.Split('#')[0];
        if (presentation.ContainsKey("holder") && IdOf(presentation["holder"]) != signer)
            return new FailedCheck("holder", at, $"The presentation is signed by {signer}, which is not its holder.");
        checks.Add("holder");

        var verdicts = new List<CredentialVerdict>(credentials.Count);
        for (var i = 0; i < credentials.Count; i++)
        {
            var pointer = presentation["verifiableCredential"] is JsonArray ? $"{at}/verifiableCredential/{i}" : $"{at}/verifiableCredential";
            var outcome = await VerifyCredentialAsync(credentials[i], ProofOptions.None, pointer, ct);
            if (outcome.Refusal is FailedCheck failed)
                return failed with { Detail = $"Credential {i} of the presentation failed its {failed.Check} check: {failed.Detail}" };
            verdicts.Add(outcome.Value!);
        }
        checks.Add("credentials");
        return new PresentationVerdict(true, checks, [], [], signer, verdicts);
    }

    /// <summary>
    /// Whether this registry issued the credential (<see cref="OwnRecordOf"/>) and how far its anchoring is; null for a
    /// credential of no registry this one knows.
    /// </summary>
    private string? AnchoringOf(JsonObject credential, List<string> warnings, out string? revoked)
    {
        revoked = null;
        if (OwnRecordOf(credential) is not { } stored) return null;

        if (revocations.Find(stored.Id) is { } revocation)
        {
            if (!revocation.Pending) revoked = $"The credential was revoked by its issuer on {XsdDateTime.Format(revocation.RevokedAt)}: {revocation.Reason}";
            else warnings.Add("Its issuer's revocation of this credential is on chain, waiting for its confirmations.");
        }
        var batch = stored.BatchId is null ? null : batches.Find(stored.BatchId);
        if (batch is not { State: BatchStates.Anchored })
        {
            warnings.Add("Anchoring pending: the credential is signed by its issuer and waits for its batch to be anchored on chain.");
            return "pending";
        }
        warnings.Add($"The credential is anchored; its copy with the anchor proof, which adds the chain checks, is at /credentials/{stored.Id}/credential.json for its issuer (with the issuer's API key).");
        return "anchored";
    }

    /// <summary>
    /// This registry's record of the credential, whatever the credential's <c>id</c>: the record the id names when it is the one
    /// the registry gives (<c>urn:uuid:{record id}</c>), else the one its first <c>credentialStatus</c> entry names (the registry's
    /// own: the issuer and status index in its <c>statusListCredential</c> and <c>statusListIndex</c>, whatever the URL's host).
    /// A record is taken only if its salt and the credential without its proofs give the record's digest, so an altered or
    /// forged credential, or one that names another's record, is not ours; null when none is.
    /// </summary>
    private StoredCredential? OwnRecordOf(JsonObject credential)
    {
        byte[]? canonical = null;
        bool Digests(StoredCredential record)
        {
            try
            {
                canonical ??= Jcs.Canonicalize(PortableCredential.WithoutProof(credential));
            }
            catch (JcsException)
            {
                return false;
            }
            return CredentialDigest.Compute(store.Read(record).Salt, canonical) == record.Digest;
        }

        var byId = Text(credential, "id") is { } id && RegistryIds.RecordIdOfCredentialUrn(id) is { } recordId ? store.Find(recordId) : null;
        if (byId is not null && Digests(byId)) return byId;
        var byStatus = credential["credentialStatus"] is JsonArray { Count: > 0 } status
            && StatusListEntry.TryParse(status[0], "/credentialStatus/0", new ValidationErrors()) is { } entry
            && entry.TryReadIndex(out var issuerId, out var statusIndex)
                ? store.FindByStatusIndex(issuerId, statusIndex)
                : null;
        return byStatus is not null && byStatus.Id != byId?.Id && Digests(byStatus) ? byStatus : null;
    }

    /// <summary>
    /// The warning for the <c>credentialStatus</c> entries this verifier did not check: of a credential of this registry, those
    /// after its own two (the issuer's own kind); of any other credential, all of them. None when there are none.
    /// </summary>
    private static List<string> UncheckedStatus(JsonObject credential, bool registryChecked)
    {
        var status = credential["credentialStatus"];
        if (registryChecked) return CredentialStatusEntry.UncheckedNote(status) is { } note ? [note] : [];
        var count = status switch { JsonArray list => list.Count, null => 0, _ => 1 };
        return count == 0 ? [] : [$"The credential's credentialStatus ({count} entr{(count == 1 ? "y" : "ies")}) is not checked by this verifier: it checks the status only of this registry's credentials."];
    }

    /// <summary>
    /// Why the document is not a VC 2.0 document of <paramref name="type"/> (or, for a credential, a VC 1.1 one, which
    /// verifies by its proof as well); null when it is one.
    /// </summary>
    private static string? FormatProblem(JsonNode? node, string type, bool acceptVc11 = false)
    {
        if (node is not JsonObject document) return $"The document must be a JSON object: a {type}.";
        var context = FirstContext(document);
        if (context != Vc2Context && !(acceptVc11 && context == BundledContexts.CredentialsV1))
            return acceptVc11
                ? $"The document's first @context must be {Vc2Context} (VC 2.0) or {BundledContexts.CredentialsV1} (VC 1.1)."
                : $"The document's first @context must be {Vc2Context} (VC 2.0).";
        var types = document["type"] switch
        {
            JsonArray list => list.Select(t => t is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToList(),
            JsonValue one when one.TryGetValue<string>(out var s) => [s],
            _ => [],
        };
        return types.Contains(type) ? null : $"The document's type must include {type}.";
    }

    /// <summary>
    /// The proofs a proof's <c>previousProof</c> names (an id or a list of ids, each that of another proof of the set), or
    /// null when it names none; the reason when it names a proof the set does not hold.
    /// </summary>
    private static string? PreviousProofs(JsonObject proof, List<JsonObject> all, out JsonArray? previous)
    {
        previous = null;
        if (!proof.TryGetPropertyValue("previousProof", out var node)) return null;
        var ids = node switch
        {
            JsonValue one when one.TryGetValue<string>(out var id) => [id],
            JsonArray list when list.All(i => i is JsonValue v && v.TryGetValue<string>(out _)) => list.Select(i => i!.GetValue<string>()).ToList(),
            _ => (List<string>?)null,
        };
        if (ids is null) return "A proof's previousProof must be the id of another proof of the set, or a list of them.";
        previous = [];
        foreach (var id in ids)
        {
            var match = all.FirstOrDefault(p => !ReferenceEquals(p, proof) && Text(p, "id") == id);
            if (match is null) return $"A proof's previousProof names {id}, which no other proof of the set is.";
            previous.Add(match.DeepClone());
        }
        return null;
    }

    private static string? FirstContext(JsonObject document) => document["@context"] switch
    {
        JsonArray { Count: > 0 } contexts => contexts[0] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null,
        JsonValue single when single.TryGetValue<string>(out var s) => s,
        _ => null,
    };

    private static List<JsonObject> ProofsOf(JsonObject document) => document["proof"] switch
    {
        JsonArray set => set.OfType<JsonObject>().ToList(),
        JsonObject one => [one],
        _ => [],
    };

    /// <summary>
    /// A proof this verifier checks: <c>eddsa-rdfc-2022</c>, or <c>Ed25519Signature2020</c>, the suite DCC's issuers and the
    /// Learner Credential Wallet sign credentials and presentations with.
    /// </summary>
    private static bool IsSupported(JsonObject proof) => IsEddsa(proof) || Text(proof, "type") == Ed25519Signature2020.ProofType;

    private static string SuiteOf(JsonObject proof) => IsEddsa(proof) ? EddsaRdfc2022.Cryptosuite : Ed25519Signature2020.ProofType;

    private static bool IsEddsa(JsonObject proof) => Text(proof, "type") == EddsaRdfc2022.ProofType && Text(proof, "cryptosuite") == EddsaRdfc2022.Cryptosuite;

    internal static string? IdOf(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var id) => id,
        JsonObject owner => Text(owner, "id"),
        _ => null,
    };

    private static DateTimeOffset? Date(JsonObject owner, string field) =>
        XsdDateTime.TryParse(Text(owner, field), out var time) ? time : null;

    internal static string? Text(JsonObject owner, string field) =>
        owner[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

/// <summary>The answer of <c>POST /presentations/verify</c>: the presentation's checks, its holder (the DID that signed it), and each credential's verdict.</summary>
public sealed record PresentationVerdict(
    bool Verified, IReadOnlyList<string> Checks, IReadOnlyList<string> Warnings, IReadOnlyList<string> Errors, string Holder,
    IReadOnlyList<CredentialVerdict> Credentials);

/// <summary>
/// The <c>challenge</c> and <c>domain</c> a request's <c>options</c> expect in the proof (W3C Data Integrity: each one given
/// must equal the proof's). A presentation must be sent with a challenge.
/// </summary>
public sealed record ProofOptions(string? Challenge, string? Domain)
{
    public static readonly ProofOptions None = new(null, null);

    /// <summary>The refusal of a proof whose challenge or domain is not the expected one; null when they are.</summary>
    public FailedCheck? Refusal(JsonObject proof, string at)
    {
        if (Challenge is not null && VcApiVerifier.Text(proof, "challenge") != Challenge)
            return new FailedCheck("challenge", at, "The proof's challenge is not the one expected (options.challenge).");
        if (Domain is not null && !DomainsOf(proof["domain"]).Contains(Domain))
            return new FailedCheck("domain", at, "The proof's domain is not the one expected (options.domain).");
        return null;
    }

    private static List<string?> DomainsOf(JsonNode? domain) => domain switch
    {
        JsonArray list => list.Select(d => d is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToList(),
        JsonValue one when one.TryGetValue<string>(out var s) => [s],
        _ => [],
    };
}
