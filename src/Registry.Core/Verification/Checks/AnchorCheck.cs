using Registry.Credentials;

namespace Registry.Verification.Checks;

public sealed class AnchorCheck : IVerificationCheck
{
    public string Name => "anchor";
    public string Description => "The credential's issuer anchored the root, at proof.created, in the transaction and block the proof names.";
    public string Failure => "The blockchain does not record the batch as the proof says: not by this issuer, not at that time, or not in that transaction.";

    public async Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        var proof = context.Proof;
        var issuer = context.IssuerDid.Address;
        var batchId = BatchIds.For(issuer, proof.MerkleRoot);
        if (proof.Anchor.BatchId != batchId)
            return CheckOutcome.Fail($"proof.anchor.batchId is '{proof.Anchor.BatchId}', but the batch of this issuer and root is '{batchId}'.");

        var verdict = await context.Chain.VerifyAsync(issuer, proof.MerkleRoot, proof.Digest, proof.MerkleProof, cancellationToken);
        context.Verdict = verdict;
        if (verdict.AnchoredAt is not { } anchoredAt)
            return CheckOutcome.Fail($"The credential's issuer {issuer} never anchored root {proof.MerkleRoot} in registry {proof.Anchor.Registry}.");
        if (!verdict.Included)
            return CheckOutcome.Fail($"The contract does not accept the Merkle proof of digest {proof.Digest} for root {proof.MerkleRoot}.");
        if (anchoredAt != proof.Created)
            return CheckOutcome.Fail($"The root was anchored at {anchoredAt:O}, but proof.created says {proof.Created:O}.");

        var receipt = await context.Chain.GetAnchoringReceiptAsync(proof.Anchor.TransactionHash, cancellationToken);
        if (receipt is null || !receipt.Anchored(issuer, proof.MerkleRoot))
            return CheckOutcome.Fail($"Transaction {proof.Anchor.TransactionHash} named by the proof did not anchor this root for {issuer}.");
        if (receipt.BlockNumber != proof.Anchor.BlockNumber)
            return CheckOutcome.Fail($"The anchoring transaction is in block {receipt.BlockNumber}, but proof.anchor.blockNumber says {proof.Anchor.BlockNumber}.");
        return CheckOutcome.Pass(
            $"Root anchored by {issuer} at {anchoredAt:yyyy-MM-dd'T'HH:mm:ss'Z'} in block {receipt.BlockNumber}, a batch of {verdict.Count}.");
    }
}
