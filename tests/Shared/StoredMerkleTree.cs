using System.Buffers.Binary;
using System.Numerics;
using Registry.Hashing;

namespace Registry.Merkle;

/// <summary>
/// A Merkle tree written to bytes and read back, for the tests and the benchmarks: the registry
/// itself keeps a batch's members and rebuilds its tree, and never stores one. Written against the
/// public surface of <see cref="MerkleTree"/> alone, so the stored form checks the tree's layout
/// (OpenZeppelin's) from outside.
/// </summary>
/// <remarks>
/// The form: "RMT1", the count n (int32 little-endian), the n digests in input order, the node index
/// of each digest's leaf (n int32 little-endian), then the 2n − 1 nodes, root first, leaves sorted
/// ascending from the end backwards. A proof can be read from it directly with <see cref="ReadProof"/>.
/// </remarks>
public static class StoredMerkleTree
{
    private static ReadOnlySpan<byte> Magic => "RMT1"u8;
    private const int HeaderBytes = 8;
    private const int NodeBytes = Bytes32.Length;

    /// <summary>The stored form of <paramref name="tree"/>.</summary>
    public static byte[] ToBytes(MerkleTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var n = tree.Count;
        var digests = new Bytes32[n];
        var leafHashes = new Bytes32[n];
        var inputOfRank = new int[n];
        for (var i = 0; i < n; i++)
        {
            digests[i] = tree.GetDigest(i);
            leafHashes[i] = MerkleTree.LeafHash(digests[i]);
            inputOfRank[i] = i;
        }

        // The smallest leaf sits at the last node, the largest at the first leaf.
        leafHashes.AsSpan().Sort(inputOfRank.AsSpan());
        var nodes = new Bytes32[2 * n - 1];
        var nodeOfInput = new int[n];
        for (var rank = 0; rank < n; rank++)
        {
            nodeOfInput[inputOfRank[rank]] = 2 * n - 2 - rank;
            nodes[2 * n - 2 - rank] = leafHashes[rank];
        }

        // Every node but the root is the sibling of a node on some leaf's path, so the proofs name them all.
        nodes[0] = tree.Root;
        for (var i = 0; i < n; i++)
        {
            var node = nodeOfInput[i];
            foreach (var sibling in tree.GetProof(i))
            {
                nodes[Sibling(node)] = sibling;
                node = Parent(node);
            }
        }

        var bytes = new byte[StoredLength(n)];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], n);
        var digestBytes = span[HeaderBytes..];
        for (var i = 0; i < n; i++)
        {
            digests[i].WriteTo(digestBytes[(i * NodeBytes)..]);
        }

        var positionBytes = digestBytes[(n * NodeBytes)..];
        for (var i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(positionBytes[(i * 4)..], nodeOfInput[i]);
        }

        var nodeBytes = positionBytes[(n * 4)..];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i].WriteTo(nodeBytes[(i * NodeBytes)..]);
        }

        return bytes;
    }

    /// <summary>Reads a tree written by <see cref="ToBytes"/>, checking every part of it.</summary>
    /// <exception cref="FormatException">
    /// The bytes are not a stored tree, have the wrong length for their count, map two digests to
    /// one leaf, hold leaves out of order, or hold a node or leaf that does not hash as it should
    /// (so the root is not the root of the digests).
    /// </exception>
    public static MerkleTree FromBytes(ReadOnlySpan<byte> data)
    {
        var n = ReadHeader(data);
        var firstLeaf = n - 1;

        var digests = new Bytes32[n];
        var digestBytes = data[HeaderBytes..];
        for (var i = 0; i < n; i++)
        {
            digests[i] = Bytes32.FromSpan(digestBytes.Slice(i * NodeBytes, NodeBytes));
        }

        var nodeOfInput = new int[n];
        var inputOfSlot = new int[n];
        inputOfSlot.AsSpan().Fill(-1);
        var positionBytes = digestBytes[(n * NodeBytes)..];
        for (var i = 0; i < n; i++)
        {
            var node = BinaryPrimitives.ReadInt32LittleEndian(positionBytes[(i * 4)..]);
            if (node < firstLeaf || node > 2 * n - 2)
            {
                throw new FormatException($"The stored tree puts digest {i} at node {node}, which is not a leaf.");
            }

            if (inputOfSlot[node - firstLeaf] >= 0)
            {
                throw new FormatException($"The stored tree puts digests {inputOfSlot[node - firstLeaf]} and {i} at the same leaf.");
            }

            nodeOfInput[i] = node;
            inputOfSlot[node - firstLeaf] = i;
        }

        var nodes = new Bytes32[2 * n - 1];
        var nodeBytes = positionBytes[(n * 4)..];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = Bytes32.FromSpan(nodeBytes.Slice(i * NodeBytes, NodeBytes));
        }

        for (var node = firstLeaf + 1; node < nodes.Length; node++)
        {
            if (nodes[node - 1] <= nodes[node])
            {
                throw new FormatException("The stored tree's leaves are not in strictly ascending order.");
            }
        }

        for (var i = 0; i < n; i++)
        {
            if (nodes[nodeOfInput[i]] != MerkleTree.LeafHash(digests[i]))
            {
                throw new FormatException($"The stored tree's leaf for digest {i} is not the hash of that digest.");
            }
        }

        // Deepest first, so that the first node found wrong is the one whose children are right.
        for (var node = firstLeaf - 1; node >= 0; node--)
        {
            var (left, right) = (nodes[2 * node + 1], nodes[2 * node + 2]);
            if (nodes[node] != (left < right ? Keccak256.HashPair(left, right) : Keccak256.HashPair(right, left)))
            {
                throw new FormatException(node == 0
                    ? "The stored tree's root is not the hash of its children."
                    : $"The stored tree's node {node} is not the hash of its children, so its root is not the root of its digests.");
            }
        }

        // Each leaf is its digest's and the leaves are in order, so the tree built of the digests is the stored one, node for node.
        return MerkleTree.Build(digests);
    }

    /// <summary>
    /// The proof of digest <paramref name="index"/>, read straight from a tree's stored form in
    /// O(log n) without loading it. Only the header, the length and the parts read are checked;
    /// use it on bytes this process wrote, and <see cref="FromBytes"/> on bytes of unknown origin.
    /// </summary>
    public static Bytes32[] ReadProof(ReadOnlySpan<byte> data, int index)
    {
        var n = ReadHeader(data);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, n);

        var positionBytes = data[(HeaderBytes + n * NodeBytes)..];
        var node = BinaryPrimitives.ReadInt32LittleEndian(positionBytes[(index * 4)..]);
        if (node < n - 1 || node > 2 * n - 2)
        {
            throw new FormatException($"The stored tree puts digest {index} at node {node}, which is not a leaf.");
        }

        var nodeBytes = positionBytes[(n * 4)..];
        var proof = new Bytes32[Depth(node)];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = Bytes32.FromSpan(nodeBytes.Slice(Sibling(node) * NodeBytes, NodeBytes));
            node = Parent(node);
        }

        return proof;
    }

    /// <summary>Checks the magic, the count and the total length; returns the count.</summary>
    private static int ReadHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderBytes || !data[..4].SequenceEqual(Magic))
        {
            throw new FormatException("The bytes are not a stored Merkle tree: they do not start with \"RMT1\".");
        }

        var n = BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
        if (n < 1 || n > MerkleTree.MaxCount)
        {
            throw new FormatException($"A stored Merkle tree holds 1 to {MerkleTree.MaxCount} digests, not {n}.");
        }

        var expected = StoredLength(n);
        if (data.Length != expected)
        {
            throw new FormatException($"A stored Merkle tree of {n} digests is {expected} bytes long, not {data.Length}.");
        }

        return n;
    }

    private static int StoredLength(int n) => checked(HeaderBytes + n * NodeBytes + n * 4 + (2 * n - 1) * NodeBytes);

    // Node arithmetic of OpenZeppelin's layout: root 0, children of i at 2i + 1 and 2i + 2.
    private static int Depth(int node) => BitOperations.Log2((uint)node + 1);

    private static int Sibling(int node) => (node & 1) == 1 ? node + 1 : node - 1;

    private static int Parent(int node) => (node - 1) >> 1;
}
