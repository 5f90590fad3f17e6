namespace Registry.Api.Storage;

public static class StorageServices
{
    /// <summary>The LiteDB file and the credential and batch logs, all in the data folder.</summary>
    public static IServiceCollection AddRegistryStorage(this IServiceCollection services) => services
        .AddSingleton(s => new RegistryDatabase(s.GetRequiredService<RegistryOptions>().DataDir))
        .AddSingleton<CredentialStore>()
        .AddSingleton<IQualificationStore, LiteQualificationStore>();
}
