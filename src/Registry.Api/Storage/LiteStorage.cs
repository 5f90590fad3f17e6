namespace Registry.Api.Storage;

/// <summary>
/// The stores on the data folder: LiteDB's <c>registry.db</c> for what changes, and the credential and
/// members logs (<see cref="CredentialStore"/>) for what issuance and sealing append. Opening reads both
/// logs and rebuilds the in-memory index; damage it cannot explain is an <see cref="InvalidDataException"/>.
/// </summary>
public sealed class LiteStorage : IRegistryStorage
{
    public LiteStorage(string dataDir)
    {
        Database = new RegistryDatabase(dataDir);
        try
        {
            Log = new CredentialStore(Database);
        }
        catch
        {
            Database.Dispose();
            throw;
        }
        Issuers = new LiteIssuerStore(Database);
        Auditors = new LiteAuditorStore(Database);
        Batches = new LiteBatchStore(Database, Log);
        Revocations = new LiteRevocationStore(Database);
        ChainEvents = new LiteChainEventStore(Database);
        Settings = new LiteSettingsStore(Database);
        Qualifications = new LiteQualificationStore(Database, Log);
        Offers = new LiteOfferStore(Database);
    }

    public RegistryDatabase Database { get; }

    /// <summary>The credential and members logs, with the in-memory index built from them.</summary>
    public CredentialStore Log { get; }

    public IIssuerStore Issuers { get; }
    public IAuditorStore Auditors { get; }
    public ICredentialStore Credentials => Log;
    public IBatchStore Batches { get; }
    public IRevocationStore Revocations { get; }
    public IChainEventStore ChainEvents { get; }
    public ISettingsStore Settings { get; }
    public IQualificationStore Qualifications { get; }
    public IOfferStore Offers { get; }
    public IAnchoringLeases Leases { get; } = new SoleInstance();
    public IAccountLocks AccountLocks { get; } = new SoleInstance();

    public void Dispose()
    {
        Log.Dispose();
        Database.Dispose();
    }
}

internal sealed class LiteIssuerStore(RegistryDatabase database) : IIssuerStore
{
    public IssuerEntity? Find(string id) => database.FindIssuer(id);

    // LiteDB compares strings without case.
    public IssuerEntity? FindByName(string name) => database.Issuers.FindOne(i => i.Name == name && i.Admission == null);

    public IssuerEntity? FindByApiKeyHash(string hash) => database.Issuers.FindOne(i => i.ApiKeyHash == hash);

    public IReadOnlyList<IssuerEntity> All() => database.Issuers.FindAll().OrderBy(i => i.CreatedAt).ToList();

    public void Add(IssuerEntity issuer) => database.Issuers.Insert(issuer);

    public void Update(IssuerEntity issuer) => database.Issuers.Update(issuer);

    public IReadOnlyList<BatchEntity> Remove(IssuerEntity issuer) =>
        database.InTransaction(() =>
        {
            var voided = database.Batches.Find(b => b.IssuerId == issuer.Id && b.State == BatchStates.Anchored && b.AnchoredAt > issuer.TrustedUntil).ToList();
            foreach (var batch in voided) batch.Voided = true;
            database.Issuers.Update(issuer);
            database.Batches.Update(voided);
            return voided;
        });
}

internal sealed class LiteAuditorStore(RegistryDatabase database) : IAuditorStore
{
    public void Add(AuditorEntity auditor) => database.Auditors.Insert(auditor);

    public AuditorEntity? FindByApiKeyHash(string hash) => database.Auditors.FindOne(a => a.ApiKeyHash == hash);

    public IReadOnlyList<AuditorEntity> All() => database.Auditors.FindAll().ToList();
}

internal sealed class LiteRevocationStore(RegistryDatabase database) : IRevocationStore
{
    public RevocationEntity? Find(string credentialId) => database.Revocations.FindById(credentialId);

    public void Record(IReadOnlyList<RevocationEntity> revocations) => database.InTransaction(() => database.Revocations.Upsert(revocations));

    public IReadOnlyList<RevocationEntity> Pending() => database.Revocations.Find(r => r.Pending).ToList();

    public void Confirm(RevocationEntity revocation)
    {
        revocation.Pending = false;
        database.Revocations.Update(revocation);
    }

    public void Clear(string credentialId) => database.Revocations.Delete(credentialId);
}

internal sealed class LiteSettingsStore(RegistryDatabase database) : ISettingsStore
{
    public string? Get(string id) => database.GetSetting(id);

    public void Set(params (string Id, string Value)[] values) =>
        database.InTransaction(() =>
        {
            foreach (var (id, value) in values) database.SetSetting(id, value);
            return true;
        });
}
