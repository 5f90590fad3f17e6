using LiteDB;

namespace Registry.Api.Storage;

/// <summary>
/// Offers in the data folder's LiteDB file. One registry process owns the folder, so a lock makes each read-check-write
/// (a challenge, a claim) atomic among its requests.
/// </summary>
internal sealed class LiteOfferStore : OfferStoreRules
{
    private readonly ILiteCollection<OfferEntity> _offers;
    private readonly Lock _gate = new();

    public LiteOfferStore(RegistryDatabase database)
    {
        _offers = database.Collection<OfferEntity>("offers");
        _offers.EnsureIndex(o => o.IssuerId);
    }

    public override void Add(OfferEntity offer)
    {
        lock (_gate) _offers.Insert(offer);
    }

    public override OfferEntity? Find(string id) => RegistryIds.IsOfferId(id) && _offers.FindById(id) is { } offer ? InUtc(offer) : null;

    public override IReadOnlyList<OfferEntity> ByIssuer(string issuerId, int skip, int limit) =>
        _offers.Query().Where(o => o.IssuerId == issuerId).OrderByDescending(o => o.CreatedAt).Skip(skip).Limit(limit).ToList().ConvertAll(InUtc);

    /// <summary>LiteDB gives its times back in local time; the registry compares them in UTC.</summary>
    private static OfferEntity InUtc(OfferEntity offer)
    {
        offer.CreatedAt = offer.CreatedAt.ToUniversalTime();
        offer.ExpiresAt = offer.ExpiresAt.ToUniversalTime();
        offer.ClaimedAt = offer.ClaimedAt?.ToUniversalTime();
        return offer;
    }

    protected override bool Change(string id, Func<OfferEntity, bool> when, Action<OfferEntity> change)
    {
        lock (_gate)
        {
            if (Find(id) is not { } offer || !when(offer)) return false;
            change(offer);
            return _offers.Update(offer);
        }
    }
}
