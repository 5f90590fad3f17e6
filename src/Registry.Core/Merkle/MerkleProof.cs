using Registry.Hashing;

namespace Registry.Merkle;

/// <summary>
/// Proof checking as OpenZeppelin's <c>MerkleProof.sol</c> does it, so a proof that passes here
/// passes on chain: each step hashes the current node with the next proof hash, smaller first.
/// </summary>
public static class MerkleProof
{
    /// <summary>
    /// keccak256 of the two nodes in ascending order (<c>Hashes.commutativeKeccak256</c>), so a
    /// proof needs no left/right flags.
    /// </summary>
    public static Bytes32 HashNodes(in Bytes32 a, in Bytes32 b) =>
        a <= b ? Keccak256.HashPair(a, b) : Keccak256.HashPair(b, a);

    /// <summary>The root that <paramref name="proof"/> leads to from the leaf hash <paramref name="leaf"/>.</summary>
    public static Bytes32 ProcessProof(Bytes32 leaf, ReadOnlySpan<Bytes32> proof)
    {
        var node = leaf;
        foreach (var sibling in proof)
        {
            node = HashNodes(node, sibling);
        }

        return node;
    }

    /// <summary>True when <paramref name="proof"/> leads from the leaf of <paramref name="digest"/> to <paramref name="root"/>.</summary>
    public static bool Verify(Bytes32 root, Bytes32 digest, ReadOnlySpan<Bytes32> proof) =>
        ProcessProof(MerkleTree.LeafHash(digest), proof) == root;

    /// <summary>
    /// The root a multiproof leads to, computed as <c>MerkleProof.processMultiProof</c> does:
    /// each flag hashes the next pending node with either the next pending node (true) or the
    /// next proof hash (false), leaf hashes being pending before computed nodes.
    /// </summary>
    /// <returns>
    /// False when the parts cannot form a multiproof: the counts do not add up (leaves + proof =
    /// flags + 1), a step runs out of nodes, a proof hash is left over, or there are no leaves.
    /// Solidity accepts an empty set of leaves with the root as the whole proof; proving nothing
    /// is never what a caller of ours means, so it is refused here.
    /// </returns>
    public static bool TryProcessMultiProof(
        IReadOnlyList<Bytes32> leafHashes,
        IReadOnlyList<Bytes32> proof,
        IReadOnlyList<bool> proofFlags,
        out Bytes32 root)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(proofFlags);

        root = default;
        var leafCount = leafHashes.Count;
        var flagCount = proofFlags.Count;
        if (leafCount == 0 || (long)leafCount + proof.Count != (long)flagCount + 1)
        {
            return false;
        }

        if (flagCount == 0)
        {
            root = leafHashes[0];
            return true;
        }

        var hashes = new Bytes32[flagCount];
        int leafPosition = 0, hashPosition = 0, proofPosition = 0;
        for (var i = 0; i < flagCount; i++)
        {
            Bytes32 a, b;
            if (leafPosition < leafCount)
            {
                a = leafHashes[leafPosition++];
            }
            else if (hashPosition < i)
            {
                a = hashes[hashPosition++];
            }
            else
            {
                return false;
            }

            if (!proofFlags[i])
            {
                if (proofPosition >= proof.Count)
                {
                    return false;
                }

                b = proof[proofPosition++];
            }
            else if (leafPosition < leafCount)
            {
                b = leafHashes[leafPosition++];
            }
            else if (hashPosition < i)
            {
                b = hashes[hashPosition++];
            }
            else
            {
                return false;
            }

            hashes[i] = HashNodes(a, b);
        }

        if (proofPosition != proof.Count)
        {
            return false;
        }

        root = hashes[flagCount - 1];
        return true;
    }
}
