using Registry.Canonical;
using Registry.Credentials;
using Registry.Hashing;

namespace Registry.Verification.Checks;

public sealed class DigestCheck : IVerificationCheck
{
    public string Name => "digest";
    public string Description => "keccak256(salt ‖ JCS(credential without proof)) equals proof.digest.";
    public string Failure => "The credential was changed after it was issued: its fingerprint does not match the proof.";

    public Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        Bytes32 digest;
        try
        {
            digest = CredentialDigest.Compute(context.Proof.Salt, context.Credential);
        }
        catch (JcsException e)
        {
            return Task.FromResult(CheckOutcome.Fail($"The credential has no canonical form: {e.Message}"));
        }
        context.Digest = digest;
        return Task.FromResult(digest == context.Proof.Digest
            ? CheckOutcome.Pass($"The credential hashes to {digest}.")
            : CheckOutcome.Fail($"The credential hashes to {digest}, not to proof.digest {context.Proof.Digest}: it was changed after issuance."));
    }
}
