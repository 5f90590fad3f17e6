namespace Registry.Api.Storage.Postgres;

/// <summary>
/// Offers in PostgreSQL. A challenge and a claim each read the offer's row <c>for update</c> and write it in the same
/// transaction: among instances sharing the database, the row's lock lets exactly one of two concurrent claims see it open.
/// </summary>
internal sealed class PostgresOfferStore(PostgresDatabase database) : OfferStoreRules
{
    public override void Add(OfferEntity offer) =>
        database.Execute("insert into offers (id, issuer_id, created_at, expires_at, state, challenge, document) values ($1, $2, $3, $4, $5, $6, $7::jsonb)",
            offer.Id, offer.IssuerId, PostgresIssuerStore.Utc(offer.CreatedAt), PostgresIssuerStore.Utc(offer.ExpiresAt), offer.State, offer.Challenge,
            PostgresDatabase.ToJson(offer));

    public override OfferEntity? Find(string id) =>
        RegistryIds.IsOfferId(id) ? database.Document<OfferEntity>("select document from offers where id = $1", id) : null;

    public override IReadOnlyList<OfferEntity> ByIssuer(string issuerId, int skip, int limit) =>
        database.Documents<OfferEntity>("select document from offers where issuer_id = $1 order by created_at desc, id offset $2 limit $3",
            issuerId, (long)skip, (long)limit);

    protected override bool Change(string id, Func<OfferEntity, bool> when, Action<OfferEntity> change) =>
        RegistryIds.IsOfferId(id) && database.InTransaction((connection, transaction) =>
        {
            OfferEntity? offer;
            using (var select = PostgresDatabase.Command(connection, transaction, "select document from offers where id = $1 for update", id))
                offer = select.ExecuteScalar() is string json ? PostgresDatabase.FromJson<OfferEntity>(json) : null;
            if (offer is null || !when(offer)) return false;
            change(offer);
            using var update = PostgresDatabase.Command(connection, transaction, "update offers set state = $2, challenge = $3, document = $4::jsonb where id = $1",
                id, offer.State, offer.Challenge, PostgresDatabase.ToJson(offer));
            update.ExecuteNonQuery();
            return true;
        });
}
