namespace Registry.Verification.Checks;

public sealed class AnchorCheck : IVerificationCheck
{
    public string Name => "anchor";
    public string Description => "The contract says the root is anchored, at the time proof.created gives.";

    public async Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        var root = context.Proof.MerkleRoot;
        var anchor = await context.Chain.GetAnchorAsync(root, cancellationToken);
        if (anchor is null)
            return CheckOutcome.Fail($"Root {root} was never anchored in registry {context.Proof.Anchor.Registry}.");
        context.Anchor = anchor;
        if (anchor.AnchoredAt != context.Proof.Created)
            return CheckOutcome.Fail($"The root was anchored at {anchor.AnchoredAt:O}, but proof.created says {context.Proof.Created:O}.");
        return CheckOutcome.Pass($"Root anchored by {anchor.Issuer} at {anchor.AnchoredAt:yyyy-MM-dd'T'HH:mm:ss'Z'} in a batch of {anchor.Count}.");
    }
}
