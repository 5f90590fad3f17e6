using Registry.Hashing;

namespace Registry.Merkle;

/// <summary>
/// A proof that several digests are in one tree, in the shape of OpenZeppelin's
/// <c>MerkleProof.multiProofVerify(proof, proofFlags, root, leaves)</c> and of
/// <c>StandardMerkleTree.getMultiProof</c>.
/// </summary>
/// <param name="Leaves">
/// The digests, in the order the proof consumes them: by descending tree position, which is
/// ascending order of their leaf hashes. Solidity's <c>multiProofVerify</c> takes their leaf hashes
/// (<see cref="MerkleTree.LeafHash"/>) in this same order.
/// </param>
/// <param name="Proof">The sibling hashes the leaves cannot supply themselves.</param>
/// <param name="ProofFlags">One per hashing step: true takes the next pending node, false the next proof hash.</param>
/// <param name="Indices">For each entry of <paramref name="Leaves"/>, its index in the input of <see cref="MerkleTree.Build"/>.</param>
public sealed record MultiProof(
    IReadOnlyList<Bytes32> Leaves,
    IReadOnlyList<Bytes32> Proof,
    IReadOnlyList<bool> ProofFlags,
    IReadOnlyList<int> Indices);
