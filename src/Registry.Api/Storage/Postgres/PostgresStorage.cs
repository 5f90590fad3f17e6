using System.Text.Json;
using Npgsql;

namespace Registry.Api.Storage.Postgres;

/// <summary>
/// The stores in a PostgreSQL database (REGISTRY_DATABASE_URL): everything the registry keeps, so that
/// instances share nothing but the database, the chain and their settings. Nothing is indexed in memory:
/// a lookup is a query, and memory does not grow with the number of credentials. Every operation is one
/// transaction, committed (and so durable, with PostgreSQL's default <c>synchronous_commit</c>) before it returns.
/// </summary>
public sealed class PostgresStorage : IRegistryStorage
{
    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlDataSource _lockSource;

    public PostgresStorage(string databaseUrl)
    {
        var settings = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(databaseUrl))
        {
            // The same few statements run on every request: prepared once per connection (the pool keeps them across
            // requests), the server parses and plans each once instead of on every use.
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
        };
        // The account locks are session advisory locks: their connections are reset when they go back to the pool
        // (DISCARD's statements, pg_advisory_unlock_all among them), so a lock whose release was cut short is not
        // carried to the connection's next user.
        _lockSource = NpgsqlDataSource.Create(settings.ConnectionString);
        // No other statement leaves anything in the session (a setting is only ever set for its transaction, an
        // unfinished transaction is rolled back as the connection goes back), so the pool's other connections are
        // not reset: the reset was seven statements before every operation's first, a third of a lookup's time.
        settings.NoResetOnClose = true;
        _source = NpgsqlDataSource.Create(settings);
        try
        {
            FoundVersion = PostgresSchema.Migrate(_source);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            Dispose();
            throw new StoreUnavailableException($"The database of REGISTRY_DATABASE_URL cannot be used: {e.Message}", e);
        }
        catch
        {
            Dispose();
            throw;
        }
        var database = new PostgresDatabase(_source);
        Issuers = new PostgresIssuerStore(database);
        Auditors = new PostgresAuditorStore(database);
        Credentials = new PostgresCredentialStore(database);
        Batches = new PostgresBatchStore(database);
        Revocations = new PostgresRevocationStore(database);
        ChainEvents = new PostgresChainEventStore(database);
        Settings = new PostgresSettingsStore(database);
        Qualifications = new PostgresQualificationStore(database);
        Offers = new PostgresOfferStore(database);
        CredentialStates = new PostgresCredentialStates(database);
        Leases = new PostgresAnchoringLeases(database);
        AccountLocks = new PostgresAccountLocks(new PostgresDatabase(_lockSource));
    }

    /// <summary>The schema's version when this storage opened the database (0: a new database).</summary>
    public int FoundVersion { get; }

    public IIssuerStore Issuers { get; }
    public IAuditorStore Auditors { get; }
    public ICredentialStore Credentials { get; }
    public IBatchStore Batches { get; }
    public IRevocationStore Revocations { get; }
    public IChainEventStore ChainEvents { get; }
    public ISettingsStore Settings { get; }
    public IQualificationStore Qualifications { get; }
    public IOfferStore Offers { get; }
    public ICredentialStates CredentialStates { get; }
    public IAnchoringLeases Leases { get; }
    public IAccountLocks AccountLocks { get; }

    /// <summary>
    /// True when <paramref name="e"/> says the database cannot be reached or is not serving (stopped,
    /// restarting, refusing connections); the idle connections of the pool are then dropped, so that the
    /// first operations after it is back open new ones instead of failing on connections it closed.
    /// </summary>
    public bool IsOutage(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            // The server's own errors count when they say it is shutting down or starting (57P01 to 57P03), or
            // another try may pass; the client's (no connection, a connection that broke) always count.
            var outage = inner is PostgresException refusal
                ? refusal.IsTransient || refusal.SqlState.StartsWith("57P", StringComparison.Ordinal) || refusal.SqlState.StartsWith("08", StringComparison.Ordinal)
                : inner is NpgsqlException;
            if (!outage) continue;
            _source.Clear();
            _lockSource.Clear();
            return true;
        }
        return false;
    }

    public void Dispose()
    {
        _source.Dispose();
        _lockSource.Dispose();
    }
}

/// <summary>The connection pool, with the few helpers every store of it uses.</summary>
internal sealed class PostgresDatabase(NpgsqlDataSource source)
{
    private static readonly JsonSerializerOptions Json = new();

    public NpgsqlConnection Open() => source.OpenConnection();

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => source.OpenConnectionAsync(cancellationToken);

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static T FromJson<T>(string json) => JsonSerializer.Deserialize<T>(json, Json)!;

    /// <summary>Runs <paramref name="work"/> in one transaction: committed when it returns, rolled back when it throws.</summary>
    public T InTransaction<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> work)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    /// <summary>Runs one statement; returns the rows it changed.</summary>
    public int Execute(string sql, params object?[] values)
    {
        using var connection = Open();
        using var command = Command(connection, null, sql, values);
        return command.ExecuteNonQuery();
    }

    /// <summary>The documents (JSON) of a query's first column.</summary>
    public List<T> Documents<T>(string sql, params object?[] values)
    {
        using var connection = Open();
        using var command = Command(connection, null, sql, values);
        using var reader = command.ExecuteReader();
        var found = new List<T>();
        while (reader.Read()) found.Add(FromJson<T>(reader.GetString(0)));
        return found;
    }

    public T? Document<T>(string sql, params object?[] values) where T : class => Documents<T>(sql, values).FirstOrDefault();

    /// <summary>
    /// How long a statement over a whole batch may run (sealing up to a million members, reading them back,
    /// selecting them): Npgsql's default of 30 s cut sealing a batch of 1,000,000 short on a loaded server,
    /// and a cut statement reads as the database being unreachable (a 503). A server that stops answering
    /// still breaks the connection, which is an outage at once.
    /// </summary>
    public const int BulkTimeoutSeconds = 600;

    /// <summary>A statement over a whole batch, allowed <see cref="BulkTimeoutSeconds"/>.</summary>
    public static NpgsqlCommand BulkCommand(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values)
    {
        var command = Command(connection, transaction, sql, values);
        command.CommandTimeout = BulkTimeoutSeconds;
        return command;
    }

    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values) command.Parameters.Add(value is null ? new NpgsqlParameter { Value = DBNull.Value } : new NpgsqlParameter { Value = value });
        return command;
    }
}

/// <summary>REGISTRY_DATABASE_URL: <c>postgresql://user:password@host:port/database</c>, read into Npgsql's settings.</summary>
public static class DatabaseUrl
{
    /// <summary>Whether <paramref name="url"/> is a PostgreSQL URL with a host and a database; the reason when not.</summary>
    public static bool TryParse(string url, out NpgsqlConnectionStringBuilder settings, out string? problem)
    {
        settings = new NpgsqlConnectionStringBuilder();
        problem = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres"))
            problem = "a postgresql://user:password@host:port/database URL";
        else if (string.IsNullOrEmpty(uri.Host))
            problem = "a postgresql:// URL with a host";
        else if (uri.AbsolutePath.Trim('/') is not { Length: > 0 } database || database.Contains('/'))
            problem = "a postgresql:// URL that names its database: postgresql://user:password@host:port/database";
        else
        {
            settings.Host = uri.Host;
            settings.Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port;
            settings.Database = Uri.UnescapeDataString(database);
            var user = uri.UserInfo.Split(':', 2);
            if (user[0].Length > 0) settings.Username = Uri.UnescapeDataString(user[0]);
            if (user.Length == 2) settings.Password = Uri.UnescapeDataString(user[1]);
            foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = pair.Split('=', 2) is [var k, var v] ? (k, v) : (pair, "");
                if (Uri.UnescapeDataString(key) == "sslmode")
                    settings.SslMode = Enum.TryParse<SslMode>(Uri.UnescapeDataString(value), ignoreCase: true, out var mode) ? mode : SslMode.Prefer;
            }
        }
        return problem is null;
    }

    public static string ToConnectionString(string url) =>
        TryParse(url, out var settings, out var problem) ? settings.ConnectionString : throw new ArgumentException($"REGISTRY_DATABASE_URL must be {problem}.");
}
