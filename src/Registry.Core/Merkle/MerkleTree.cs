using System.Numerics;
using Registry.Hashing;

namespace Registry.Merkle;

/// <summary>
/// A Merkle tree over 32-byte digests, node for node the tree that OpenZeppelin's
/// <c>StandardMerkleTree.of(digests.map(d =&gt; [d]), ["bytes32"])</c> builds
/// (<c>@openzeppelin/merkle-tree</c> 1.0.8), so its roots and proofs work with <c>MerkleProof.sol</c>.
/// </summary>
/// <remarks>
/// Layout, as OpenZeppelin lays it out: an array of 2n − 1 nodes with the root at 0, the children
/// of node i at 2i + 1 and 2i + 2, and the n leaf hashes sorted ascending and stored from the end
/// backwards (the smallest at 2n − 2). A leaf is keccak256(keccak256(digest)), which is
/// keccak256(keccak256(abi.encode(digest))) for a bytes32; an inner node hashes its two children
/// smaller first. Digests keep the index they had in the input of <see cref="Build"/>.
/// An instance is immutable and safe to share between threads.
/// </remarks>
public sealed class MerkleTree
{
    /// <summary>The most digests one tree holds.</summary>
    public const int MaxCount = 1 << 24;

    // Ranges of fewer hashes than this run on the calling thread, longer ones in chunks across cores.
    private const int ParallelThreshold = 1 << 13;
    private const int ChunkSize = 1 << 12;

    // From this many leaves on, they are sorted by buckets rather than by comparisons.
    private const int BucketSortThreshold = 1 << 12;

    private readonly Bytes32[] _nodes;
    private readonly Bytes32[] _digests;

    // Input index → node index of its leaf.
    private readonly int[] _nodeOfInput;

    // Leaf slot (node index − (n − 1)) → input index.
    private readonly int[] _inputOfSlot;

    private MerkleTree(Bytes32[] nodes, Bytes32[] digests, int[] nodeOfInput, int[] inputOfSlot)
    {
        _nodes = nodes;
        _digests = digests;
        _nodeOfInput = nodeOfInput;
        _inputOfSlot = inputOfSlot;
    }

    public Bytes32 Root => _nodes[0];

    /// <summary>The number of digests.</summary>
    public int Count => _digests.Length;

    private int FirstLeaf => _digests.Length - 1;

    /// <summary>The leaf hash of a digest: keccak256(keccak256(digest)).</summary>
    public static Bytes32 LeafHash(in Bytes32 digest) => Keccak256.Hash(Keccak256.Hash(digest));

    /// <summary>Builds the tree of <paramref name="digests"/>.</summary>
    /// <exception cref="ArgumentException">There are no digests, more than <see cref="MaxCount"/>, or two are equal.</exception>
    public static MerkleTree Build(ReadOnlySpan<Bytes32> digests)
    {
        var n = digests.Length;
        if (n == 0)
        {
            throw new ArgumentException("A Merkle tree needs at least one digest.", nameof(digests));
        }

        if (n > MaxCount)
        {
            throw new ArgumentException($"A Merkle tree holds at most {MaxCount} digests, not {n}.", nameof(digests));
        }

        var digestArray = digests.ToArray();
        var leafHashes = new Bytes32[n];
        ForRanges(0, n, (start, end) =>
            LeafHashes(digestArray.AsSpan(start, end - start), leafHashes.AsSpan(start, end - start)));

        var nodes = new Bytes32[2 * n - 1];
        var firstLeaf = n - 1;
        var leaves = nodes.AsSpan(firstLeaf);
        var inputOfSlot = new int[n];
        SortLeaves(leafHashes, leaves, inputOfSlot);
        for (var i = 1; i < n; i++)
        {
            if (leaves[i] == leaves[i - 1])
            {
                var (first, second) = (Math.Min(inputOfSlot[i - 1], inputOfSlot[i]), Math.Max(inputOfSlot[i - 1], inputOfSlot[i]));
                throw new ArgumentException(
                    $"The digests at indices {first} and {second} are equal ({digestArray[first]}); a tree holds each digest once.",
                    nameof(digests));
            }
        }

        // Ascending leaves are stored from the end backwards.
        leaves.Reverse();
        inputOfSlot.AsSpan().Reverse();

        var nodeOfInput = new int[n];
        for (var slot = 0; slot < n; slot++)
        {
            nodeOfInput[inputOfSlot[slot]] = firstLeaf + slot;
        }

        HashInnerNodes(nodes, n);
        return new MerkleTree(nodes, digestArray, nodeOfInput, inputOfSlot);
    }

    /// <summary>
    /// The node array OpenZeppelin's <c>makeMerkleTree</c> makes of these leaf hashes once sorted,
    /// whatever encoding produced them; for checking the layout against other leaf encodings.
    /// </summary>
    internal static Bytes32[] NodesOfLeaves(ReadOnlySpan<Bytes32> leafHashes)
    {
        var n = leafHashes.Length;
        var nodes = new Bytes32[2 * n - 1];
        var leaves = nodes.AsSpan(n - 1);
        leafHashes.CopyTo(leaves);
        leaves.Sort();
        leaves.Reverse();
        HashInnerNodes(nodes, n);
        return nodes;
    }

    /// <summary>The digest at <paramref name="index"/> of the input of <see cref="Build"/>.</summary>
    public Bytes32 GetDigest(int index)
    {
        CheckIndex(index);
        return _digests[index];
    }

    /// <summary>
    /// The proof of the digest at <paramref name="index"/> of the input of <see cref="Build"/>:
    /// the sibling hashes from its leaf up to the root, as <c>StandardMerkleTree.getProof</c> gives it.
    /// </summary>
    public Bytes32[] GetProof(int index)
    {
        CheckIndex(index);
        var node = _nodeOfInput[index];
        var proof = new Bytes32[Depth(node)];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = _nodes[Sibling(node)];
            node = Parent(node);
        }

        return proof;
    }

    /// <summary>Finds the input index of <paramref name="digest"/>, by binary search over the sorted leaves.</summary>
    public bool TryIndexOf(in Bytes32 digest, out int index)
    {
        var leaf = LeafHash(digest);

        // Leaf slots hold the leaves in descending order.
        int low = 0, high = Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var order = _nodes[FirstLeaf + middle].CompareTo(leaf);
            if (order == 0)
            {
                index = _inputOfSlot[middle];
                return true;
            }

            if (order > 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        index = -1;
        return false;
    }

    /// <summary>
    /// One proof for several digests, given by their indices in the input of <see cref="Build"/>,
    /// exactly as <c>StandardMerkleTree.getMultiProof</c> makes it.
    /// </summary>
    /// <exception cref="ArgumentException">No index is given, or one is given twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is not in the tree.</exception>
    public MultiProof GetMultiProof(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0)
        {
            throw new ArgumentException("A multiproof needs at least one index.", nameof(indices));
        }

        var nodes = new int[indices.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            CheckIndex(indices[i]);
            nodes[i] = _nodeOfInput[indices[i]];
        }

        // Deepest and rightmost first: descending node index.
        nodes.AsSpan().Sort(static (a, b) => b.CompareTo(a));
        for (var i = 1; i < nodes.Length; i++)
        {
            if (nodes[i] == nodes[i - 1])
            {
                throw new ArgumentException(
                    $"The index {_inputOfSlot[nodes[i] - FirstLeaf]} is given twice; a multiproof proves each digest once.",
                    nameof(indices));
            }
        }

        // Each step takes the next pending node; if the one after it is its sibling, both are
        // known (flag true), otherwise the sibling comes from the proof (flag false). The parent
        // then joins the queue, until only the root is pending.
        var pending = new Queue<int>(nodes);
        var proof = new List<Bytes32>();
        var flags = new List<bool>();
        while (pending.Count > 0 && pending.Peek() > 0)
        {
            var node = pending.Dequeue();
            var sibling = Sibling(node);
            if (pending.Count > 0 && pending.Peek() == sibling)
            {
                flags.Add(true);
                pending.Dequeue();
            }
            else
            {
                flags.Add(false);
                proof.Add(_nodes[sibling]);
            }

            pending.Enqueue(Parent(node));
        }

        var leaves = new Bytes32[nodes.Length];
        var inputIndices = new int[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            inputIndices[i] = _inputOfSlot[nodes[i] - FirstLeaf];
            leaves[i] = _digests[inputIndices[i]];
        }

        return new MultiProof(leaves, proof.ToArray(), flags.ToArray(), inputIndices);
    }

    /// <summary>
    /// True when the multiproof leads from the leaves of <paramref name="leafDigests"/> (in the
    /// order of <see cref="MultiProof.Leaves"/>) to <paramref name="root"/>, as
    /// <c>MerkleProof.multiProofVerify</c> would decide. An empty set of digests is refused.
    /// </summary>
    public static bool VerifyMultiProof(
        Bytes32 root,
        IReadOnlyList<Bytes32> leafDigests,
        IReadOnlyList<Bytes32> proof,
        IReadOnlyList<bool> flags)
    {
        ArgumentNullException.ThrowIfNull(leafDigests);
        var leaves = new Bytes32[leafDigests.Count];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = LeafHash(leafDigests[i]);
        }

        return MerkleProof.TryProcessMultiProof(leaves, proof, flags, out var reached) && reached == root;
    }

    /// <summary>
    /// Writes <paramref name="leafHashes"/> in ascending order to <paramref name="sorted"/>, and
    /// the input index of each to <paramref name="inputIndices"/>.
    /// </summary>
    /// <remarks>
    /// Leaf hashes are Keccak outputs, spread evenly over their range, so a counting pass on their
    /// top bits puts them in buckets of a few entries each; sorting those buckets finishes the
    /// job in about linear time. Uneven input would only make the buckets larger, never wrong.
    /// </remarks>
    private static void SortLeaves(Bytes32[] leafHashes, Span<Bytes32> sorted, Span<int> inputIndices)
    {
        var n = leafHashes.Length;
        if (n < BucketSortThreshold)
        {
            leafHashes.CopyTo(sorted);
            for (var i = 0; i < n; i++)
            {
                inputIndices[i] = i;
            }

            sorted.Sort(inputIndices);
            return;
        }

        // About four entries a bucket.
        var bits = Math.Clamp(BitOperations.Log2((uint)n) - 2, 8, 22);
        var shift = 64 - bits;
        var ends = new int[1 << bits];
        foreach (var leaf in leafHashes)
        {
            ends[leaf.Word0 >> shift]++;
        }

        // Turn counts into starts, then let the scatter move each start to its bucket's end.
        var total = 0;
        for (var bucket = 0; bucket < ends.Length; bucket++)
        {
            (ends[bucket], total) = (total, total + ends[bucket]);
        }

        for (var i = 0; i < n; i++)
        {
            var position = ends[leafHashes[i].Word0 >> shift]++;
            sorted[position] = leafHashes[i];
            inputIndices[position] = i;
        }

        var bucketStart = 0;
        foreach (var bucketEnd in ends)
        {
            if (bucketEnd - bucketStart > 1)
            {
                sorted[bucketStart..bucketEnd].Sort(inputIndices[bucketStart..bucketEnd]);
            }

            bucketStart = bucketEnd;
        }
    }

    /// <summary>
    /// Hashes nodes n − 2 down to 0, one depth at a time from the deepest: the nodes of one depth
    /// depend only on the depth below, so each depth is split across cores when it is large.
    /// </summary>
    private static void HashInnerNodes(Bytes32[] nodes, int n)
    {
        var lastInner = n - 2;
        if (lastInner < 0)
        {
            return;
        }

        for (var depth = Depth(lastInner); depth >= 0; depth--)
        {
            var first = (1 << depth) - 1;
            var last = Math.Min((1 << (depth + 1)) - 2, lastInner);
            ForRanges(first, last + 1, (start, end) => HashParents(nodes, start, end, nodes.AsSpan(start, end - start)));
        }
    }

    /// <summary>output[i] = LeafHash(digests[i]), four at a time where the CPU allows.</summary>
    private static void LeafHashes(ReadOnlySpan<Bytes32> digests, Span<Bytes32> output)
    {
        Keccak256.HashEach(digests, output);
        Keccak256.HashEach(output, output);
    }

    /// <summary>
    /// output[i − start] = the hash of the children of node i, for i in [start, end). The children
    /// of consecutive nodes are consecutive, so they are hashed as one run of pairs.
    /// </summary>
    private static void HashParents(Bytes32[] nodes, int start, int end, Span<Bytes32> output) =>
        Keccak256.HashPairs(nodes.AsSpan(2 * start + 1, 2 * (end - start)), output, smallerFirst: true);

    /// <summary>Runs <paramref name="body"/> over [start, end), in chunks across cores when the range is large.</summary>
    private static void ForRanges(int start, int end, Action<int, int> body)
    {
        var count = end - start;
        if (count < ParallelThreshold)
        {
            if (count > 0)
            {
                body(start, end);
            }

            return;
        }

        var chunks = (count + ChunkSize - 1) / ChunkSize;
        Parallel.For(0, chunks, chunk =>
        {
            var from = start + chunk * ChunkSize;
            body(from, Math.Min(from + ChunkSize, end));
        });
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The tree holds digests 0 to {Count - 1}.");
        }
    }

    /// <summary>The depth of a node: its number of ancestors, and the length of its proof.</summary>
    private static int Depth(int node) => BitOperations.Log2((uint)node + 1);

    private static int Sibling(int node) => (node & 1) == 1 ? node + 1 : node - 1;

    private static int Parent(int node) => (node - 1) >> 1;
}
