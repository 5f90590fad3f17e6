using Registry.Credentials;

namespace Registry.Verification.Checks;

public sealed class RevocationCheck : IVerificationCheck
{
    public string Name => "revocation";
    public string Description => "The credential's issuer has not revoked it; revocations by any other account do not count.";
    public string Failure => "The issuer has revoked the credential.";

    public async Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        // The contract keys revocations by (issuer, digest): the verdict already answers for this issuer only.
        if (context.Verdict!.RevokedAt is null)
        {
            // Never "not revoked" unconfirmed: without the node, this check cannot be completed.
            if (context.Verdict.RevocationUnconfirmed)
                throw new NodeUnavailableException(UncheckedReason.NodeUnreachable,
                    $"The revocation status could not be confirmed: the chain cannot be reached, and what is known of it is as of block " +
                    $"{context.Verdict.AsOf?.Number} ({context.Verdict.AsOf?.Time:yyyy-MM-dd'T'HH:mm:ss'Z'}), too long ago.");
            var notChecked = CredentialStatusEntry.UncheckedNote(context.Credential["credentialStatus"]);
            return CheckOutcome.Pass(notChecked is null ? "Not revoked by its issuer." : $"Not revoked by its issuer. {notChecked}");
        }

        var revocation = await context.Chain.GetRevocationAsync(context.IssuerDid.Address, context.Proof.Digest, cancellationToken);
        var revokedAt = revocation?.RevokedAt ?? context.Verdict.RevokedAt.Value;
        context.Revocation = revocation ?? new RevocationRecord(revokedAt, 0, null);
        var reason = string.IsNullOrEmpty(revocation?.Reason) ? "no reason found" : $"reason: {revocation.Reason}";
        return CheckOutcome.Fail($"Revoked on {revokedAt:yyyy-MM-dd'T'HH:mm:ss'Z'} ({reason}).");
    }
}
