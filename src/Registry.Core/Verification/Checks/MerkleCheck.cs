using Registry.Merkle;

namespace Registry.Verification.Checks;

public sealed class MerkleCheck : IVerificationCheck
{
    public string Name => "merkle";
    public string Description => "The Merkle proof leads from the digest's leaf to proof.merkleRoot.";
    public string Failure => "The proof does not link the credential to the batch it names.";

    public Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken)
    {
        var proof = context.Proof;
        var reached = MerkleProof.ProcessProof(MerkleTree.LeafHash(proof.Digest), proof.MerkleProof.ToArray());
        return Task.FromResult(reached == proof.MerkleRoot
            ? CheckOutcome.Pass($"The proof of {proof.MerkleProof.Count} hashes leads to root {proof.MerkleRoot}.")
            : CheckOutcome.Fail($"The proof leads to {reached}, not to proof.merkleRoot {proof.MerkleRoot}."));
    }
}
