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
        Path = System.IO.Path.Combine(dataDir, FileName);
        var mapper = new BsonMapper();
        mapper.Entity<IssuerEntity>().Id(x => x.Id, autoId: false);
        mapper.Entity<AuditorEntity>().Id(x => x.Id, autoId: false);
        mapper.Entity<CredentialEntity>().Id(x => x.Id, autoId: false);
        mapper.Entity<BatchEntity>().Id(x => x.Id, autoId: false);
        mapper.Entity<SettingEntity>().Id(x => x.Id, autoId: false);
        mapper.Entity<ChainEventEntity>().Id(x => x.Id, autoId: false);
        _database = new LiteDatabase(new ConnectionString { Filename = Path, Connection = ConnectionType.Direct }, mapper);

        Issuers = _database.GetCollection<IssuerEntity>("issuers");
        Auditors = _database.GetCollection<AuditorEntity>("auditors");
        Credentials = _database.GetCollection<CredentialEntity>("credentials");
        Batches = _database.GetCollection<BatchEntity>("batches");
        Settings = _database.GetCollection<SettingEntity>("settings");
        ChainEvents = _database.GetCollection<ChainEventEntity>("chainEvents");

        Issuers.EnsureIndex(x => x.Address, unique: true);
        Credentials.EnsureIndex(x => x.PendingFor);
        Credentials.EnsureIndex(x => x.BatchId);
        Credentials.EnsureIndex(x => x.Digest);
        Credentials.EnsureIndex(x => x.RevocationPending);
        Batches.EnsureIndex(x => x.State);
        Batches.EnsureIndex(x => x.IssuerId);
        Batches.EnsureIndex(x => x.SealedAt);
        ChainEvents.EnsureIndex(x => x.BlockNumber);
    }

    public string Path { get; }
    public ILiteCollection<IssuerEntity> Issuers { get; }
    public ILiteCollection<AuditorEntity> Auditors { get; }
    public ILiteCollection<CredentialEntity> Credentials { get; }
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

    public string? GetSetting(string id) => Settings.FindById(id)?.Value;

    public void SetSetting(string id, string value) => Settings.Upsert(new SettingEntity { Id = id, Value = value });

    public void Dispose() => _database.Dispose();
}
