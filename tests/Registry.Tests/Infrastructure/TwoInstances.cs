namespace Registry.Tests.Infrastructure;

/// <summary>
/// Two registry processes on one new PostgreSQL database and one node, started one after the other: the first deploys
/// the contract, the second finds it in the database. Both are stopped when this is disposed.
/// </summary>
public sealed class TwoInstances : IAsyncDisposable
{
    private TwoInstances(RegistryProcess a, RegistryProcess b, string databaseUrl) => (A, B, DatabaseUrl) = (a, b, databaseUrl);

    public RegistryProcess A { get; }
    public RegistryProcess B { get; }

    /// <summary>The database both keep everything in (a <c>postgresql://</c> URL).</summary>
    public string DatabaseUrl { get; }

    /// <summary>Starts both with the usual process settings, the shared database and keystore password, and <paramref name="settings"/> over them.</summary>
    public static async Task<TwoInstances> StartAsync(Uri rpcUrl, IReadOnlyDictionary<string, string>? settings = null)
    {
        var database = PostgresServer.NewDatabaseUrl();
        Dictionary<string, string?> Settings()
        {
            var all = RegistryProcess.Settings(rpcUrl);
            all["REGISTRY_DATABASE_URL"] = database;
            all["REGISTRY_KEYSTORE_PASSWORD"] = "two instances keystore password";
            foreach (var (name, value) in settings ?? new Dictionary<string, string>()) all[name] = value;
            return all;
        }
        var a = RegistryProcess.Start(Settings());
        RegistryProcess? b = null;
        try
        {
            await a.WaitForHealthAsync();
            b = RegistryProcess.Start(Settings());
            await b.WaitForHealthAsync();
            return new TwoInstances(a, b, database);
        }
        catch
        {
            if (b is not null) await b.DisposeAsync();
            await a.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}
