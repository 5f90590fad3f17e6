using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Identity;

namespace Registry.Verification.Checks;

public sealed class FormatCheck : IVerificationCheck
{
    public string Name => "format";
    public string Description => $"The document is a VC 2.0 credential with a well-formed {AnchorProof.ProofType} proof.";

    public Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        if (context.Document is not JsonObject document)
            return Task.FromResult(CheckOutcome.Fail("The document is not a JSON object."));

        var credential = PortableCredential.WithoutProof(document);
        var errors = CredentialValidator.ValidateIssued(credential);
        var proof = AnchorProof.TryParse(document["proof"], errors);
        if (proof is null || !errors.IsEmpty)
            return Task.FromResult(CheckOutcome.Fail($"Malformed credential: {errors}"));

        IssuerDid.TryParse(CredentialValidator.IssuerId(credential["issuer"]), out var did);
        if (proof.VerificationMethod != did.VerificationMethod)
            return Task.FromResult(CheckOutcome.Fail($"proof.verificationMethod '{proof.VerificationMethod}' is not the issuer's account '{did.VerificationMethod}'."));

        context.Credential = credential;
        context.Proof = proof;
        context.IssuerDid = did;
        return Task.FromResult(CheckOutcome.Pass($"A VC 2.0 credential with an {AnchorProof.ProofType} proof."));
    }
}
