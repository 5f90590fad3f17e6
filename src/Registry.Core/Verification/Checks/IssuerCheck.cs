namespace Registry.Verification.Checks;

public sealed class IssuerCheck : IVerificationCheck
{
    public string Name => "issuer";
    public string Description => "The anchoring account is the credential's issuer and was an active issuer when it anchored.";

    public async Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        var anchor = context.Anchor!;
        var claimed = context.IssuerDid;
        if (claimed.ChainId != context.Proof.Anchor.ChainId)
            return CheckOutcome.Fail($"The credential's issuer {claimed} is an account on chain {claimed.ChainId}, but the root is anchored on chain {context.Proof.Anchor.ChainId}.");
        if (!string.Equals(anchor.Issuer, claimed.Address, StringComparison.OrdinalIgnoreCase))
            return CheckOutcome.Fail($"The credential names issuer {claimed}, but the root was anchored by {anchor.Issuer}.");
        var issuer = await context.Chain.GetIssuerAsync(anchor.Issuer, cancellationToken);
        if (issuer is null)
            return CheckOutcome.Fail($"{anchor.Issuer} was never admitted as an issuer.");
        if (!issuer.WasActiveAt(anchor.AnchoredAt))
            return CheckOutcome.Fail($"{issuer.Name} ({anchor.Issuer}) was not an active issuer when it anchored the root.");
        var status = issuer.RemovedAt is { } removed ? $"; removed since {removed:yyyy-MM-dd}, earlier anchors stay valid" : "";
        return CheckOutcome.Pass($"Issued by {issuer.Name} ({claimed}), admitted {issuer.AddedAt:yyyy-MM-dd}{status}.");
    }
}
