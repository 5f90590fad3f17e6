using Registry.Api.Revocation;

namespace Registry.Api.Credentials;

public static class CredentialServices
{
    /// <summary>Issuing credentials, showing them, and revoking them.</summary>
    public static IServiceCollection AddCredentials(this IServiceCollection services) => services
        .AddSingleton<IssuanceService>()
        .AddSingleton<CredentialViews>()
        .AddSingleton<RevocationService>();
}
