namespace Registry.Verification.Checks;

public sealed class RegistryCheck : IVerificationCheck
{
    public string Name => "registry";
    public string Description => "proof.anchor names a (chain id, contract) that this verifier trusts.";

    public Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        var anchor = context.Proof.Anchor;
        var reader = context.Registries.Find(anchor.ChainId, anchor.Registry);
        if (reader is null)
        {
            var trusted = context.Registries.Trusted.Count == 0 ? "none" : string.Join(", ", context.Registries.Trusted);
            return Task.FromResult(CheckOutcome.Fail(
                $"Registry {anchor.Registry} on chain {anchor.ChainId} is not trusted here (trusted: {trusted}). " +
                $"To trust it, add {anchor.ChainId}:{anchor.Registry}=<rpc url> to REGISTRY_TRUSTED, or pass --registry {anchor.Registry} --rpc <url>."));
        }
        context.Chain = reader;
        return Task.FromResult(CheckOutcome.Pass($"Registry {anchor.Registry} on chain {anchor.ChainId} is trusted."));
    }
}
