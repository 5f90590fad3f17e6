using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Identity;

namespace Registry.Verification.Checks;

public sealed class FormatCheck : IVerificationCheck
{
    public string Name => "format";
    public string Description =>
        $"The document is a VC 2.0 credential with the registry's context, a {StatusListEntry.EntryType} status then a {CredentialStatusEntry.StatusType} status that names where it was anchored, and a well-formed {AnchorProof.ProofType} proof.";
    public string Failure => "The document is not a well-formed credential with a blockchain proof.";

    public Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        if (context.Document is not JsonObject document)
            return Task.FromResult(CheckOutcome.Fail("The document is not a JSON object."));

        var credential = PortableCredential.WithoutProof(document);
        var errors = CredentialValidator.ValidateIssued(credential);
        var proof = AnchorProof.TryParse(document["proof"], errors);
        var status = CredentialStatusEntry.TryParse(credential["credentialStatus"], errors);
        if (proof is null || status is null || !errors.IsEmpty)
            return Task.FromResult(CheckOutcome.Fail($"Malformed credential: {errors}"));

        IssuerDid.TryParse(CredentialValidator.IssuerId(credential["issuer"]), out var did);
        if (proof.VerificationMethod != did.VerificationMethod)
            return Task.FromResult(CheckOutcome.Fail($"proof.verificationMethod '{proof.VerificationMethod}' is not the issuer's account '{did.VerificationMethod}'."));
        if (status.DisagreementWith(proof.Anchor, did) is { } disagreement)
            return Task.FromResult(CheckOutcome.Fail($"The credential's status does not name where it was anchored: {disagreement}"));

        context.Credential = credential;
        context.Proof = proof;
        context.IssuerDid = did;
        return Task.FromResult(CheckOutcome.Pass($"A VC 2.0 credential with an {AnchorProof.ProofType} proof."));
    }
}
