using System.Collections.Concurrent;
using Registry.Api.Storage;
using Registry.Api.Storage.Postgres;

namespace Registry.Tests.Infrastructure;

/// <summary>
/// The store every registry of this test run keeps its data in, chosen by the run's setting
/// <c>REGISTRY_TEST_STORE</c>: <c>litedb</c> (the default: the data folder) or <c>postgresql</c> (a
/// database of its own on the run's throwaway cluster, <see cref="PostgresServer"/>). A registry started
/// again on the same data folder finds its database again, as it finds its files on LiteDB.
/// <see cref="RegistryApp"/>, <see cref="RegistryProcess"/> and <see cref="StartScript"/> read it; a
/// test that sets <c>REGISTRY_DATABASE_URL</c> itself keeps what it set.
/// </summary>
public static class TestStore
{
    /// <summary>The run's setting naming the store.</summary>
    public const string Setting = "REGISTRY_TEST_STORE";

    /// <summary>
    /// The trait of the test classes that start a registry and reach its store through it: scripts/test.sh
    /// runs the whole suite on LiteDB, then these again on PostgreSQL (<c>--filter Store=each</c>).
    /// </summary>
    public const string Trait = "Store";

    /// <summary>The value of <see cref="Trait"/> for the classes run on each store.</summary>
    public const string Each = "each";

    private static readonly ConcurrentDictionary<string, string> Databases = new(StringComparer.Ordinal);

    /// <summary>True when the run's registries keep their data in PostgreSQL.</summary>
    public static bool IsPostgres { get; } = Read() == "postgresql";

    /// <summary>The store's name as the run's setting gives it: litedb or postgresql.</summary>
    public static string Kind => IsPostgres ? "postgresql" : "litedb";

    private static string Read()
    {
        var value = (Environment.GetEnvironmentVariable(Setting) ?? "").Trim().ToLowerInvariant();
        return value switch
        {
            "" or "litedb" => "litedb",
            "postgresql" or "postgres" => "postgresql",
            _ => throw new InvalidOperationException($"{Setting}={value} is not a store: set litedb (the default) or postgresql."),
        };
    }

    /// <summary>On PostgreSQL, the database of the registry whose data folder this is (created at first need); on LiteDB, null.</summary>
    public static string? DatabaseUrlFor(string dataDir) =>
        IsPostgres ? Databases.GetOrAdd(Path.GetFullPath(dataDir), _ => PostgresServer.NewDatabaseUrl()) : null;

    /// <summary>Adds the run's store to a registry's settings, unless they name a database already (or, as null, none).</summary>
    public static void AddTo<TValue>(IDictionary<string, TValue> settings, string dataDir) where TValue : class?
    {
        if (!settings.ContainsKey("REGISTRY_DATABASE_URL") && DatabaseUrlFor(dataDir) is TValue url) settings["REGISTRY_DATABASE_URL"] = url;
    }

    /// <summary>
    /// Everything a stopped registry left at rest, as a disk thief would read it: each file of its data
    /// folder and, on PostgreSQL, each row of each table of its database in its text form.
    /// </summary>
    public static async Task<IReadOnlyList<(string Where, byte[] Bytes)>> AtRestAsync(string dataDir)
    {
        var found = new List<(string, byte[])>();
        foreach (var file in Directory.GetFiles(dataDir, "*", SearchOption.AllDirectories))
        {
            // Read as a stream: LiteDB may still fold its log into the database (and delete it) as the stopped registry closes.
            using var contents = new MemoryStream();
            try
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                await stream.CopyToAsync(contents);
            }
            catch (FileNotFoundException)
            {
                continue;
            }
            found.Add((Path.GetFileName(file), contents.ToArray()));
        }
        if (DatabaseUrlFor(dataDir) is not { } url) return found;
        await using var connection = new Npgsql.NpgsqlConnection(DatabaseUrl.ToConnectionString(url));
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new Npgsql.NpgsqlCommand("select table_name from information_schema.tables where table_schema = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        foreach (var table in tables)
        {
            await using var rows = new Npgsql.NpgsqlCommand($"select t::text from \"{table}\" t", connection);
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync()) found.Add((table, System.Text.Encoding.UTF8.GetBytes(reader.GetString(0))));
        }
        return found;
    }

    /// <summary>
    /// The stores of the registry whose data folder this is, opened as the registry opens them, for a test
    /// that prepares or inspects what a stopped registry left: the folder on LiteDB, its database on PostgreSQL.
    /// </summary>
    public static IRegistryStorage Open(string dataDir) =>
        DatabaseUrlFor(dataDir) is { } url ? new PostgresStorage(url) : new LiteStorage(dataDir);
}
