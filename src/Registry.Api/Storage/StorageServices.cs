namespace Registry.Api.Storage;

public static class StorageServices
{
    /// <summary>
    /// The stores, one per aggregate: in the PostgreSQL database of REGISTRY_DATABASE_URL when it is set,
    /// else on the data folder (LiteDB and the credential and members logs).
    /// </summary>
    public static IServiceCollection AddRegistryStorage(this IServiceCollection services) => services
        .AddSingleton<IRegistryStorage>(s => s.GetRequiredService<RegistryOptions>() is { DatabaseUrl: { } url }
            ? new Postgres.PostgresStorage(url)
            : new LiteStorage(s.GetRequiredService<RegistryOptions>().DataDir))
        .AddSingleton(s => s.GetRequiredService<IRegistryStorage>().Issuers)
        .AddSingleton(s => s.GetRequiredService<IRegistryStorage>().Auditors)
        .AddSingleton(s => s.GetRequiredService<IRegistryStorage>().Credentials)
        .AddSingleton(s => s.GetRequiredService<IRegistryStorage>().Batches)
        .AddSingleton(s => s.GetRequiredService<IRegistryStorage>().Revocations)
        .AddSingleton(s => s.GetRequiredService<IRegistryStorage>().ChainEvents)
        .AddSingleton(s => s.GetRequiredService<IRegistryStorage>().Settings)
        .AddSingleton(s => s.GetRequiredService<IRegistryStorage>().Qualifications)
        .AddSingleton(s => s.GetRequiredService<IRegistryStorage>().Offers)
        .AddSingleton(s => s.GetRequiredService<IRegistryStorage>().CredentialStates)
        .AddSingleton(s => s.GetRequiredService<IRegistryStorage>().Leases)
        .AddSingleton(s => s.GetRequiredService<IRegistryStorage>().AccountLocks);
}
