using Registry.Signatures;

namespace Registry.Verification.Checks;

public sealed class SignatureCheck : IVerificationCheck
{
    public string Name => "signature";
    public string Description => $"The issuer's {EddsaRdfc2022.Cryptosuite} proof verifies with the key of its did:key (issuer.id), over the credential without its proofs.";
    public string Failure => "The issuer's signature does not match the credential: it was changed, or signed with a key that is not the issuer's.";

    public Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        var result = EddsaRdfc2022.VerifyProof(context.Credential, context.Signature, expectedPublicKey: context.IssuerKey, ed25519: context.Ed25519);
        return Task.FromResult(result.Verified
            ? CheckOutcome.Pass($"Signed by {context.IssuerId} ({EddsaRdfc2022.Cryptosuite}).")
            : CheckOutcome.Fail($"The {EddsaRdfc2022.Cryptosuite} proof does not verify with the key of {context.IssuerId}: {result.Reason}."));
    }
}
