using LiteDB;

namespace Registry.Api.Storage;

/// <summary>The registry's one LiteDB file, with its collections and indexes.</summary>
public sealed class RegistryDatabase : IDisposable
{
    public const string FileName = "registry.db";

    private readonly LiteDatabase _database;

    public RegistryDatabase(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        DataDir = dataDir;
        Path = System.IO.Path.Combine(dataDir, FileName);
        var mapper = new BsonMapper();
        mapper.Entity<IssuerEntity>().Id(x => x.Id, autoId: false);
        mapper.Entity<AuditorEntity>().Id(x => x.Id, autoId: false);
        mapper.Entity<RevocationEntity>().Id(x => x.Id, autoId: false);
        mapper.Entity<BatchEntity>().Id(x => x.Id, autoId: false);
        mapper.Entity<SettingEntity>().Id(x => x.Id, autoId: false);
        mapper.Entity<ChainEventEntity>().Id(x => x.Id, autoId: false);
        mapper.Entity<OfferEntity>().Id(x => x.Id, autoId: false);
        _database = new LiteDatabase(new ConnectionString { Filename = Path, Connection = ConnectionType.Direct }, mapper);

        Issuers = _database.GetCollection<IssuerEntity>("issuers");
        Auditors = _database.GetCollection<AuditorEntity>("auditors");
        Revocations = _database.GetCollection<RevocationEntity>("revocations");
        Batches = _database.GetCollection<BatchEntity>("batches");
        Settings = _database.GetCollection<SettingEntity>("settings");
        ChainEvents = _database.GetCollection<ChainEventEntity>("chainEvents");

        Issuers.EnsureIndex(x => x.Address, unique: true);
        // A key this instance does not hold in memory is looked up by its hash (ApiKeyDirectory).
        Issuers.EnsureIndex(x => x.ApiKeyHash);
        Auditors.EnsureIndex(x => x.ApiKeyHash);
        Revocations.EnsureIndex(x => x.Digest);
        Revocations.EnsureIndex(x => x.Pending);
        Batches.EnsureIndex(x => x.State);
        Batches.EnsureIndex(x => x.IssuerId);
        Batches.EnsureIndex(x => x.SealedAt);
        ChainEvents.EnsureIndex(x => x.BlockNumber);
    }

    public string DataDir { get; }
    public string Path { get; }
    public ILiteCollection<IssuerEntity> Issuers { get; }
    public ILiteCollection<AuditorEntity> Auditors { get; }
    /// <summary>Revocations of the registry's credentials (the credentials themselves are in <see cref="CredentialStore"/>).</summary>
    public ILiteCollection<RevocationEntity> Revocations { get; }
    public ILiteCollection<BatchEntity> Batches { get; }
    public ILiteCollection<SettingEntity> Settings { get; }
    /// <summary>The contract's events as the chain follower read them: what the index is rebuilt from after a restart.</summary>
    public ILiteCollection<ChainEventEntity> ChainEvents { get; }

    /// <summary>Runs <paramref name="work"/> in one transaction: all of it lands on disk, or none.</summary>
    public T InTransaction<T>(Func<T> work)
    {
        _database.BeginTrans();
        try
        {
            var result = work();
            _database.Commit();
            return result;
        }
        catch
        {
            _database.Rollback();
            throw;
        }
    }

    /// <summary>The issuer of an id as a request gives it; null for none, or for an id not in the form the registry writes.</summary>
    public IssuerEntity? FindIssuer(string id) => RegistryIds.IsGuid(id) ? Issuers.FindById(id) : null;

    /// <summary>The batch of an id as a request gives it; null for none, or for an id not in the form the registry writes.</summary>
    public BatchEntity? FindBatch(string id) => RegistryIds.IsBatchId(id) ? Batches.FindById(id) : null;

    /// <summary>A collection of this file for a store of its own (<see cref="LiteQualificationStore"/>), with the mapper's conventions.</summary>
    public ILiteCollection<T> Collection<T>(string name) => _database.GetCollection<T>(name);

    public string? GetSetting(string id) => Settings.FindById(id)?.Value;

    public void SetSetting(string id, string value) => Settings.Upsert(new SettingEntity { Id = id, Value = value });

    public void Dispose() => _database.Dispose();
}
