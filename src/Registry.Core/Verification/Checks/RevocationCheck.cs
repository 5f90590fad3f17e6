namespace Registry.Verification.Checks;

public sealed class RevocationCheck : IVerificationCheck
{
    public string Name => "revocation";
    public string Description => "The contract has no revocation for the digest.";

    public async Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        var revocation = await context.Chain.GetRevocationAsync(context.Proof.Digest, cancellationToken);
        context.Revocation = revocation;
        if (revocation is null) return CheckOutcome.Pass("Not revoked.");
        // The contract keys revocations by digest alone; only the account that anchored the credential can revoke it.
        if (revocation.Revoker is { } revoker && !string.Equals(revoker, context.Anchor!.Issuer, StringComparison.OrdinalIgnoreCase))
        {
            context.Revocation = null;
            return CheckOutcome.Pass($"Not revoked by its issuer (a revocation of this digest by {revoker}, who did not anchor it, is ignored).");
        }
        var reason = string.IsNullOrEmpty(revocation.Reason) ? "no reason recorded" : $"reason: {revocation.Reason}";
        return CheckOutcome.Fail($"Revoked on {revocation.RevokedAt:yyyy-MM-dd'T'HH:mm:ss'Z'} ({reason}).");
    }
}
