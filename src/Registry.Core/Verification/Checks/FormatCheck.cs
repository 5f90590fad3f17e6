using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Signatures;

namespace Registry.Verification.Checks;

public sealed class FormatCheck : IVerificationCheck
{
    public string Name => "format";
    public string Description =>
        $"The document is a VC 2.0 (or VC 1.1) credential with the registry's context, an issuer Profile named by a did:key, a {StatusListEntry.EntryType} status then a " +
        $"{CredentialStatusEntry.StatusType} status that names where it was anchored, and a proof set of a well-formed {AnchorProof.ProofType} proof and the issuer's {EddsaRdfc2022.Cryptosuite} proof.";
    public string Failure => "The document is not a well-formed credential with a blockchain proof and its issuer's signature.";

    public Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        if (context.Document is not JsonObject document)
            return Task.FromResult(CheckOutcome.Fail("The document is not a JSON object."));

        var credential = PortableCredential.WithoutProof(document);
        var errors = CredentialValidator.ValidateIssued(credential);
        var issuerId = CredentialValidator.IssuerId(credential["issuer"]);
        var proofs = ProofSet.TryParse(document["proof"], issuerId, errors);
        var status = CredentialStatusEntry.TryParse(credential["credentialStatus"], errors);
        if (proofs is null || status is null || !errors.IsEmpty)
            return Task.FromResult(CheckOutcome.Fail($"Malformed credential: {errors}"));

        if (status.DisagreementWith(proofs.Anchor.Anchor, proofs.Account) is { } disagreement)
            return Task.FromResult(CheckOutcome.Fail($"The credential's status does not name where it was anchored: {disagreement}"));

        context.Credential = credential;
        context.Proof = proofs.Anchor;
        context.IssuerDid = proofs.Account;
        context.IssuerId = issuerId!;
        context.IssuerKey = DidKey.Resolve(issuerId).PublicKey!;
        context.Signature = proofs.Signature;
        return Task.FromResult(CheckOutcome.Pass($"A VC {(CredentialValidator.IsVc11(credential) ? "1.1" : "2.0")} credential with an {AnchorProof.ProofType} proof and an {EddsaRdfc2022.Cryptosuite} proof."));
    }
}
