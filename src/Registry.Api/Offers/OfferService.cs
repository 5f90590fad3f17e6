using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Registry.Api.Credentials;
using Registry.Api.Issuers;
using Registry.Api.Outcomes;
using Registry.Api.Storage;
using Registry.Api.VcApi;
using Registry.Api.Verification;
using Registry.Canonical;
using Registry.Credentials;
using Registry.LinkedData;
using Registry.Offers;
using Registry.Signatures;

namespace Registry.Api.Offers;

/// <summary>
/// An offer that cannot be claimed: <see cref="Reason"/> is <c>claimed</c> (another claim won), <c>replayed</c> (the very
/// presentation that claimed it, sent again), <c>expired</c>, <c>issuer-removed</c> or <c>credential-invalid</c>.
/// </summary>
public sealed record OfferClosed(string Reason, string Detail) : StateConflict(Detail);

/// <summary>What the issuer sees of an offer. <c>qr</c> (an SVG of <c>deepLink</c>) is given for one offer, not in listings.</summary>
public sealed record OfferView(
    string Id, string State, string Url, string DeepLink, DateTime CreatedAt, DateTime ExpiresAt, string? Holder, DateTime? ClaimedAt, string? CredentialId,
    string? Qr);

/// <summary>
/// Offers of credentials to learners' wallets, and the VC API exchange a wallet claims one through (docs/STANDARDS.md,
/// "Delivery into a wallet"): the wallet asks, is sent a DID authentication request with a fresh challenge, answers with a
/// presentation its did:key signed over that challenge and the registry's domain, and receives the credential issued to
/// that DID, signed at once and queued for anchoring. A claim is one compare-and-set in the store, so of two at once
/// exactly one wins; an offer is claimed once, until it expires.
/// </summary>
public sealed class OfferService(IOfferStore offers, IIssuerStore issuers, IssuanceService issuance, IssuerKeyring keyring, RegistryOptions options,
    TimeProvider clock)
{
    public const string DidAuthentication = "DIDAuthentication";
    public const string ExchangePath = OfferLink.ExchangePath;

    private static readonly IEd25519Verifier Ed25519 = SodiumEd25519.OrManaged();

    /// <summary>A did:key (the example of the did:key specification) that an offer is checked with before a wallet claims it.</summary>
    private const string ExampleHolder = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QTKLGpbnnEGta2doK";

    /// <summary>The domain a wallet's proof must name: this registry's public origin.</summary>
    public string Domain => options.StatusBaseUrl.GetLeftPart(UriPartial.Authority);

    /// <summary>Stores an offer of <paramref name="credential"/>, checked now as issuing it would check it, its subject's id left to the wallet.</summary>
    public Outcome<OfferView, IssuerRemoved, Invalid> Create(IssuerEntity issuer, JsonNode? credential)
    {
        if (credential is not JsonObject document) return new Invalid("The offer's credential must be a JSON object.", "/credential", "Not a JSON object.");
        if (document["credentialSubject"] is not JsonObject subject)
            return new Invalid("The offered credential must have one credentialSubject, an object: the wallet that claims it becomes its id.",
                "/credential/credentialSubject", "Not one object.");
        if (subject.ContainsKey("id"))
            return new Invalid("The offered credential's subject must have no id: it is the DID of the wallet that claims the offer.",
                "/credential/credentialSubject/id", "Leave it out.");

        // Checked as it will be issued, for a DID of the form a wallet proves.
        var trial = (JsonObject)document.DeepClone();
        trial["credentialSubject"]!["id"] = ExampleHolder;
        var check = issuance.Check(issuer, trial, keyring.SigningKeyOf(issuer));
        if (check.Refusal is IssuerRemoved removed) return removed;
        if (check.Refusal is Invalid invalid)
            return invalid with { Errors = invalid.Errors?.Where(e => e.Key != "/credentialSubject/id").ToDictionary(e => "/credential" + e.Key, e => e.Value) };

        var now = clock.GetUtcNow().UtcDateTime;
        var offer = new OfferEntity
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            IssuerId = issuer.Id,
            Credential = System.Text.Encoding.UTF8.GetString(Jcs.Canonicalize(document)),
            CreatedAt = now,
            ExpiresAt = now + options.OfferLifetime,
        };
        offers.Add(offer);
        return ViewOf(offer, withQr: true);
    }

    /// <summary>An offer of the issuer's; to other issuers it does not exist.</summary>
    public Outcome<OfferView, Unknown> Find(IssuerEntity issuer, string id, bool withQr) =>
        offers.Find(id) is { } offer && offer.IssuerId == issuer.Id ? ViewOf(offer, withQr) : new Unknown($"Offer {id}");

    public IReadOnlyList<OfferView> List(IssuerEntity issuer, int skip, int limit) =>
        offers.ByIssuer(issuer.Id, skip, limit).Select(o => ViewOf(o, withQr: false)).ToList();

    /// <summary>The exchange's URL, which is also its interaction URL.</summary>
    public string UrlOf(string offerId) => new Uri(options.StatusBaseUrl, ExchangePath + offerId).ToString();

    /// <summary>The Learner Credential Wallet's link to the exchange: a VC API request naming it in <c>protocols.vcapi</c>.</summary>
    public string DeepLinkOf(string offerId) => OfferLink.DeepLink(new Uri(UrlOf(offerId)));

    /// <summary>Whether the exchange exists (an offer of that id, whatever its state): what the interaction URL answers.</summary>
    public bool Exists(string id) => offers.Find(id) is not null;

    /// <summary>The first step of the exchange: a DID authentication request with a new challenge, which replaces any earlier one.</summary>
    public Outcome<JsonObject, Unknown, OfferClosed> Request(string id)
    {
        if (offers.Find(id) is not { } offer) return new Unknown($"Exchange {id}");
        var challenge = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        if (!offers.SetChallenge(id, challenge, clock.GetUtcNow().UtcDateTime)) return Closed(offers.Find(id) ?? offer, proof: null);
        return new JsonObject
        {
            ["verifiablePresentationRequest"] = new JsonObject
            {
                ["query"] = new JsonArray(new JsonObject
                {
                    ["type"] = DidAuthentication,
                    ["acceptedMethods"] = new JsonArray(new JsonObject { ["method"] = "key" }),
                    ["acceptedCryptosuites"] = new JsonArray(
                        new JsonObject { ["cryptosuite"] = Ed25519Signature2020.ProofType },
                        new JsonObject { ["cryptosuite"] = EddsaRdfc2022.Cryptosuite }),
                }),
                ["challenge"] = challenge,
                ["domain"] = Domain,
                ["interact"] = new JsonObject
                {
                    ["service"] = new JsonArray(new JsonObject { ["type"] = "UnmediatedHttpPresentationService2021", ["serviceEndpoint"] = UrlOf(id) }),
                },
            },
        };
    }

    /// <summary>
    /// The second step: the wallet's presentation, signed by its did:key for <c>authentication</c> over the challenge it was
    /// sent and this registry's domain. The credential is issued to that DID and returned inside a presentation, as the VC API
    /// exchange answers.
    /// </summary>
    public Outcome<JsonObject, Unknown, FailedCheck, OfferClosed> Claim(string id, JsonNode? node)
    {
        const string at = "/verifiablePresentation";
        if (offers.Find(id) is not { } offer) return new Unknown($"Exchange {id}");
        if (node is not JsonObject presentation || !IsPresentation(presentation))
            return new FailedCheck("format", at, "The presentation must be a JSON object with a VC @context (2.0 or 1.1) and the type VerifiablePresentation.");
        var proofs = presentation["proof"] switch
        {
            JsonArray set => set.OfType<JsonObject>().ToList(),
            JsonObject one => [one],
            _ => [],
        };
        if (proofs.Count != 1)
            return new FailedCheck("proof", at, $"The presentation must hold one proof by its holder ({Ed25519Signature2020.ProofType} or {EddsaRdfc2022.Cryptosuite}); it holds {proofs.Count}.");
        var proof = proofs[0];
        var challenge = Text(proof, "challenge");

        if (OfferStates.Of(offer, clock.GetUtcNow().UtcDateTime) != OfferStates.Open) return Closed(offer, proof);
        if (offer.Challenge is null || challenge != offer.Challenge)
            return new FailedCheck("challenge", at, offer.Challenge is null
                ? "This exchange has issued no challenge yet: post {} to it first, and sign the presentation over the challenge it answers."
                : "The proof's challenge is not the one this exchange issued last: a challenge of another exchange, or one it replaced.");
        if (new ProofOptions(null, Domain).Refusal(proof, at) is { } wrongDomain)
            return wrongDomain with { Detail = $"The proof's domain must be {Domain}, the domain this exchange asked for." };

        var verified = Text(proof, "type") == Ed25519Signature2020.ProofType
            ? Ed25519Signature2020.VerifyProof(presentation, proof, VcApiVerifier.Authentication, Ed25519)
            : EddsaRdfc2022.VerifyProof(presentation, proof, expectedProofPurpose: VcApiVerifier.Authentication, ed25519: Ed25519);
        if (!verified.Verified) return new FailedCheck("signature", at, $"The holder's proof does not verify: {verified.Reason}.");
        var holder = verified.VerificationMethod!.Split('#')[0];
        if (presentation.ContainsKey("holder") && VcApiVerifier.IdOf(presentation["holder"]) != holder)
            return new FailedCheck("holder", at, $"The presentation is signed by {holder}, which is not its holder.");

        if (!offers.TryClaim(id, challenge!, holder, clock.GetUtcNow().UtcDateTime))
        {
            // Another request changed the offer since it was read: claimed it, or asked for a new challenge.
            var now = offers.Find(id)!;
            return OfferStates.Of(now, clock.GetUtcNow().UtcDateTime) == OfferStates.Open
                ? new FailedCheck("challenge", at, "The exchange issued a new challenge meanwhile; sign the presentation over the latest one.")
                : Closed(now, proof);
        }
        var issued = Issue(offer, holder);
        if (issued.Refusal is not null) offers.Release(id, holder);
        if (issued.Refusal is OfferClosed closed) return closed;
        // The id of the credential's record, not read from the credential: an offered credential may carry an id of the issuer's own.
        offers.Complete(id, issued.Value.Item.Id);
        return new JsonObject
        {
            ["verifiablePresentation"] = new JsonObject
            {
                ["@context"] = new JsonArray(BundledContexts.CredentialsV2),
                ["type"] = new JsonArray("VerifiablePresentation"),
                ["verifiableCredential"] = new JsonArray(issued.Value.Signed),
            },
        };
    }

    /// <summary>The claimed offer's credential with its anchor proof, once anchored: what the wallet fetches later.</summary>
    public Outcome<JsonObject, Unknown, StateConflict> Anchored(string id, CredentialViews views)
    {
        if (offers.Find(id) is not { } offer) return new Unknown($"Exchange {id}");
        if (offer.CredentialId is not { } credentialId)
            return new StateConflict("The offer has not been claimed; its credential exists once a wallet claims it.");
        return views.Portable(credentialId, new Security.KeyHolder(Security.Roles.Issuer, offer.IssuerId));
    }

    /// <summary>The offer's credential issued to <paramref name="holder"/>: its subject's id set, signed now, queued for anchoring.</summary>
    private Outcome<(IssuedItem Item, JsonObject Signed), OfferClosed> Issue(OfferEntity offer, string holder)
    {
        var issuer = issuers.Find(offer.IssuerId) ?? throw new InvalidOperationException($"Offer {offer.Id} names issuer {offer.IssuerId}, which is not stored.");
        var credential = (JsonObject)StrictJson.Parse(offer.Credential)!;
        credential["credentialSubject"]!["id"] = holder;
        var outcome = issuance.IssueSigned(issuer, credential, keyring.SigningKeyOf(issuer));
        return outcome.Refusal switch
        {
            IssuerRemoved removed => new OfferClosed("issuer-removed", removed.Detail),
            Invalid invalid => new OfferClosed("credential-invalid", $"The offered credential cannot be issued to {holder}: {invalid.Detail} " +
                string.Join(" ", invalid.Errors?.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}") ?? [])),
            _ => outcome.Value,
        };
    }

    /// <summary>
    /// Why an offer that is not open cannot be claimed. A presentation (its <paramref name="proof"/>) by the holder that claimed the
    /// offer, over the challenge it claimed it with, is that claim replayed; any other is a second claim.
    /// </summary>
    private static OfferClosed Closed(OfferEntity offer, JsonObject? proof) => offer.State == OfferStates.Claimed
        ? proof is not null && Text(proof, "challenge") == offer.Challenge && Text(proof, "verificationMethod")?.Split('#')[0] == offer.Holder
            ? new OfferClosed("replayed", "This presentation already claimed the offer: a presentation is used once.")
            : new OfferClosed("claimed", "The offer was already claimed; an offer is claimed once.")
        : new OfferClosed("expired", $"The offer expired at {XsdDateTime.Format(new DateTimeOffset(offer.ExpiresAt, TimeSpan.Zero))}; ask the issuer for a new one.");

    private OfferView ViewOf(OfferEntity offer, bool withQr)
    {
        var deepLink = DeepLinkOf(offer.Id);
        return new OfferView(offer.Id, OfferStates.Of(offer, clock.GetUtcNow().UtcDateTime), UrlOf(offer.Id), deepLink, offer.CreatedAt, offer.ExpiresAt,
            offer.Holder, offer.ClaimedAt, offer.CredentialId, withQr ? OfferQr.Svg(deepLink) : null);
    }

    private static bool IsPresentation(JsonObject document)
    {
        var first = document["@context"] is JsonArray { Count: > 0 } contexts ? contexts[0] : document["@context"];
        var context = first is JsonValue value && value.TryGetValue<string>(out var url) ? url : null;
        var types = document["type"] switch
        {
            JsonArray list => list.Select(t => t is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToList(),
            JsonValue one when one.TryGetValue<string>(out var s) => [s],
            _ => [],
        };
        return context is BundledContexts.CredentialsV2 or BundledContexts.CredentialsV1 && types.Contains("VerifiablePresentation");
    }

    private static string? Text(JsonObject owner, string field) => VcApiVerifier.Text(owner, field);
}
