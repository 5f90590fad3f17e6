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

    // An award counts once its credential is stored (its record is written first): a record a crash left alone is not read.
    private const string Issued = "exists (select 1 from credentials c where c.id = a.id::uuid)";

    public AwardEntity? FindAward(string credentialId) =>
        RegistryIds.IsGuid(credentialId) ? database.Document<AwardEntity>($"select a.document from awards a where a.id = $1 and {Issued}", credentialId) : null;

    public IReadOnlyList<AwardEntity> AwardsRestingOn(string digest) =>
        database.Documents<AwardEntity>($"select a.document from awards a where a.document -> 'ComponentDigests' ? $1 and {Issued}", digest);
}
