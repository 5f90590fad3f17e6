namespace Registry.Api.Storage.Postgres;

/// <summary>Qualifications and awards as JSON documents; an award's component digests are indexed (GIN) to find the awards resting on a credential.</summary>
internal sealed class PostgresQualificationStore(PostgresDatabase database) : IQualificationStore
{
    public void Add(QualificationEntity qualification) =>
        database.Execute("insert into qualifications (id, created_at, document) values ($1, $2, $3::jsonb)",
            qualification.Id, PostgresIssuerStore.Utc(qualification.CreatedAt), PostgresDatabase.ToJson(qualification));

    public QualificationEntity? Find(string id) =>
        RegistryIds.IsGuid(id) ? database.Document<QualificationEntity>("select document from qualifications where id = $1", id) : null;

    public IReadOnlyList<QualificationEntity> List() => database.Documents<QualificationEntity>("select document from qualifications order by created_at, id");

    public void AddAward(AwardEntity award) =>
        database.Execute("insert into awards (id, document) values ($1, $2::jsonb)", award.Id, PostgresDatabase.ToJson(award));

    public AwardEntity? FindAward(string credentialId) =>
        RegistryIds.IsGuid(credentialId) ? database.Document<AwardEntity>("select document from awards where id = $1", credentialId) : null;

    public IReadOnlyList<AwardEntity> AwardsRestingOn(string digest) =>
        database.Documents<AwardEntity>("select document from awards where document -> 'ComponentDigests' ? $1", digest);
}
