namespace Registry.Api.Issuers;

public static class IssuerServices
{
    /// <summary>Issuers, their accounts and keys, and the ether that pays for their anchors.</summary>
    public static IServiceCollection AddIssuers(this IServiceCollection services) => services
        .AddSingleton<IssuerKeyring>()
        .AddSingleton<IssuerService>()
        .AddSingleton<IssuerAccounts>()
        .AddSingleton<IssuerFunding>();
}
