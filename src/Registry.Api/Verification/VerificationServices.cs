using System.Threading.RateLimiting;
using Registry.Api.Index;
using Registry.Verification;

namespace Registry.Api.Verification;

public static class VerificationServices
{
    /// <summary>The verification pipeline over this registry's chain index and the trusted registries, and the rate limit of <c>/verify</c>.</summary>
    public static IServiceCollection AddVerification(this IServiceCollection services) => services
        .AddSingleton<ChainFollower>()
        .AddHostedService(s => s.GetRequiredService<ChainFollower>())
        .AddSingleton<ITrustedRegistries, RegistryTrust>()
        .AddSingleton(s => new CredentialVerifier(s.GetRequiredService<ITrustedRegistries>(), s.GetRequiredService<TimeProvider>(), SodiumEd25519.OrManaged()))
        .AddSingleton(s => new Registry.Portfolio.PortfolioVerifier(s.GetRequiredService<CredentialVerifier>()))
        .AddSingleton<VerifyLimits>()
        .AddRateLimiter(_ => { })
        .AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
        .Configure<RegistryOptions>(VerifyLimits.AddRequestPolicy)
        .Services;
}
