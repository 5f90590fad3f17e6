namespace Registry.Api.Storage;

/// <summary>
/// An issuer's offer of one credential to a learner not known yet: the credential without its subject's <c>id</c>, which
/// the wallet that claims the offer supplies by proving it controls a DID (docs/STANDARDS.md, "Delivery into a wallet").
/// </summary>
public sealed class OfferEntity
{
    /// <summary>32 lowercase hex digits of randomness: the offer's exchange URL is the learner's capability to claim it.</summary>
    public string Id { get; set; } = "";
    public string IssuerId { get; set; } = "";
    /// <summary>The credential as the issuer sent it (canonical JSON), its subject without <c>id</c>.</summary>
    public string Credential { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    /// <summary><see cref="OfferStates.Open"/> or <see cref="OfferStates.Claimed"/>; an open offer past <see cref="ExpiresAt"/> shows as expired.</summary>
    public string State { get; set; } = OfferStates.Open;
    /// <summary>The challenge of the latest presentation request; a claim must be signed over it. Kept once claimed, to tell a replay.</summary>
    public string? Challenge { get; set; }
    /// <summary>The DID that claimed the offer.</summary>
    public string? Holder { get; set; }
    public DateTime? ClaimedAt { get; set; }
    /// <summary>The credential issued to <see cref="Holder"/>; null from the claim until it is stored.</summary>
    public string? CredentialId { get; set; }
}

public static class OfferStates
{
    public const string Open = "open";
    public const string Claimed = "claimed";
    public const string Expired = "expired";

    /// <summary>The state an issuer sees: an open offer past its expiry is expired.</summary>
    public static string Of(OfferEntity offer, DateTime now) => offer.State == Open && offer.ExpiresAt <= now ? Expired : offer.State;
}

/// <summary>Offers. A claim is a compare-and-set: of two claims of one offer at the same moment, exactly one succeeds.</summary>
public interface IOfferStore
{
    void Add(OfferEntity offer);

    /// <summary>The offer of an id as a request gives it; null for none, or for an id not in the form the registry writes.</summary>
    OfferEntity? Find(string id);

    /// <summary>An issuer's offers, newest first.</summary>
    IReadOnlyList<OfferEntity> ByIssuer(string issuerId, int skip, int limit);

    /// <summary>Gives an open, unexpired offer the challenge of a new presentation request; false when it is claimed or expired.</summary>
    bool SetChallenge(string id, string challenge, DateTime now);

    /// <summary>
    /// Claims the offer for <paramref name="holder"/> if it is open, unexpired at <paramref name="now"/>, and its challenge is
    /// <paramref name="challenge"/>, all in one atomic step; false otherwise (another claim won, or it expired).
    /// </summary>
    bool TryClaim(string id, string challenge, string holder, DateTime now);

    /// <summary>Records the credential issued for the offer's claim.</summary>
    void Complete(string id, string credentialId);

    /// <summary>Opens again an offer whose claim by <paramref name="holder"/> could not be issued.</summary>
    void Release(string id, string holder);
}

/// <summary>
/// The rules of an offer's changes, the same in every store: each is a condition on the offer as stored and the change made
/// when it holds, which a store applies atomically (<see cref="Change"/>).
/// </summary>
public abstract class OfferStoreRules : IOfferStore
{
    public abstract void Add(OfferEntity offer);

    public abstract OfferEntity? Find(string id);

    public abstract IReadOnlyList<OfferEntity> ByIssuer(string issuerId, int skip, int limit);

    /// <summary>Reads the offer, and if <paramref name="when"/> holds, makes <paramref name="change"/> and stores it, with no other change in between.</summary>
    protected abstract bool Change(string id, Func<OfferEntity, bool> when, Action<OfferEntity> change);

    public bool SetChallenge(string id, string challenge, DateTime now) =>
        Change(id, offer => offer.State == OfferStates.Open && offer.ExpiresAt > now, offer => offer.Challenge = challenge);

    public bool TryClaim(string id, string challenge, string holder, DateTime now) =>
        Change(id, offer => offer.State == OfferStates.Open && offer.ExpiresAt > now && offer.Challenge == challenge, offer =>
        {
            offer.State = OfferStates.Claimed;
            offer.Holder = holder;
            offer.ClaimedAt = now;
        });

    public void Complete(string id, string credentialId) =>
        Change(id, offer => offer.State == OfferStates.Claimed, offer => offer.CredentialId = credentialId);

    public void Release(string id, string holder) =>
        Change(id, offer => offer.State == OfferStates.Claimed && offer.Holder == holder && offer.CredentialId is null, offer =>
        {
            offer.State = OfferStates.Open;
            offer.Holder = null;
            offer.ClaimedAt = null;
        });
}
