namespace Registry.Verification.Checks;

public sealed class IssuerCheck : IVerificationCheck
{
    public string Name => "issuer";
    public string Description => "The issuer's DID is on the anchoring chain, and the issuer was trusted when it anchored.";
    public string Failure => "The issuer was not admitted, or no longer trusted, when it recorded the batch.";

    public async Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        var claimed = context.IssuerDid;
        if (claimed.ChainId != context.Proof.Anchor.ChainId)
            return CheckOutcome.Fail($"The credential's issuer {claimed} is an account on chain {claimed.ChainId}, but the root is anchored on chain {context.Proof.Anchor.ChainId}.");
        var verdict = context.Verdict!;
        if (verdict.IssuerTrusted)
            return CheckOutcome.Pass($"{claimed} was an admitted issuer, trusted when it anchored.");

        // Only a failure costs a second call: the issuer record says why.
        var issuer = await context.Chain.GetIssuerAsync(claimed.Address, cancellationToken);
        var anchoredAt = verdict.AnchoredAt!.Value;
        var why = issuer switch
        {
            null => "it was never admitted",
            { RemovedAt: { } removed, TrustedUntil: { } until } when anchoredAt > until =>
                $"it was removed on {removed:yyyy-MM-dd'T'HH:mm:ss'Z'} and its anchors after {until:yyyy-MM-dd'T'HH:mm:ss'Z'} are void (its key was no longer trusted)",
            _ when anchoredAt < issuer.AddedAt => $"it was admitted only on {issuer.AddedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}",
            _ => "the contract does not trust this anchor",
        };
        return CheckOutcome.Fail($"{claimed} was not a trusted issuer when it anchored the root on {anchoredAt:yyyy-MM-dd'T'HH:mm:ss'Z'}: {why}.");
    }
}
