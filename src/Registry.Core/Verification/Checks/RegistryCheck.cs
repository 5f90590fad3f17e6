namespace Registry.Verification.Checks;

public sealed class RegistryCheck : IVerificationCheck
{
    public string Name => "registry";
    public string Description => "proof.anchor names a (chain id, contract) that this verifier trusts, and its RPC serves that chain.";
    public string Failure => "The proof names a registry that this verifier does not trust.";

    public async Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        var anchor = context.Proof.Anchor;
        var reader = context.Registries.Find(anchor.ChainId, anchor.Registry);
        if (reader is null)
        {
            // Never suggest trusting the address the document names: a forger controls that.
            var trusted = context.Registries.Trusted.Count == 0 ? "none" : string.Join(", ", context.Registries.Trusted);
            return CheckOutcome.Fail(
                $"The credential names a registry on chain {anchor.ChainId} that this verifier does not trust; it trusts {trusted}. " +
                "Trust comes from your own configuration (REGISTRY_TRUSTED, or the CLI's --registry and --rpc), with an address " +
                "learned from the registry's operator, never from the credential itself.");
        }
        var served = await reader.GetChainIdAsync(cancellationToken);
        if (served != anchor.ChainId)
            return CheckOutcome.Fail($"The RPC endpoint of trusted registry {anchor.Registry} serves chain {served}, not chain {anchor.ChainId} that the proof names.");
        context.Chain = reader;
        return CheckOutcome.Pass($"Registry {anchor.Registry} on chain {anchor.ChainId} is trusted.");
    }
}
