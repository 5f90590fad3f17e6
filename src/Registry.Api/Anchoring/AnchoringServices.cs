using Registry.Chain;

namespace Registry.Api.Anchoring;

public static class AnchoringServices
{
    /// <summary>The chain this registry anchors on, and the sealing and anchoring of batches.</summary>
    public static IServiceCollection AddAnchoring(this IServiceCollection services) => services
        .AddSingleton<RegistryChain>()
        .AddSingleton(s => FeePolicy.FromGwei(s.GetRequiredService<RegistryOptions>().MaxFeeGwei))
        .AddSingleton<BatchTrees>()
        .AddSingleton<BatchSealer>()
        .AddSingleton<IAnchoringChain, NodeAnchoringChain>()
        .AddSingleton<AnchorSender>()
        .AddSingleton<AnchoringLeadership>()
        .AddHostedService(s => s.GetRequiredService<AnchoringLeadership>())
        .AddSingleton<AnchoringService>()
        .AddHostedService(s => s.GetRequiredService<AnchoringService>());
}
