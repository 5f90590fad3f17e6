using Registry.Hashing;
using Registry.Merkle;

namespace Registry.Tests.Merkle;

public class MerkleTreeTests
{
    private static Bytes32[] RandomDigests(int count, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[32];
        var digests = new Bytes32[count];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            digests[i] = Bytes32.FromSpan(bytes);
        }

        return digests;
    }

    /// <summary>OpenZeppelin's makeMerkleTree written out plainly, one node at a time.</summary>
    private static Bytes32 ReferenceRoot(Bytes32[] digests)
    {
        var leaves = digests.Select(d => Keccak256.Hash(Keccak256.Hash(d.ToArray()).ToArray())).Order().ToArray();
        var tree = new Bytes32[2 * leaves.Length - 1];
        for (var i = 0; i < leaves.Length; i++)
        {
            tree[tree.Length - 1 - i] = leaves[i];
        }

        for (var i = tree.Length - 1 - leaves.Length; i >= 0; i--)
        {
            var (a, b) = (tree[2 * i + 1], tree[2 * i + 2]);
            var pair = a.CompareTo(b) <= 0 ? a.ToArray().Concat(b.ToArray()) : b.ToArray().Concat(a.ToArray());
            tree[i] = Keccak256.Hash(pair.ToArray());
        }

        return tree[0];
    }

    private static Bytes32 FlipBit(Bytes32 value, int bit)
    {
        var bytes = value.ToArray();
        bytes[bit / 8 % 32] ^= (byte)(1 << (bit % 8));
        return Bytes32.FromSpan(bytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(17)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(20_000)]
    public void Matches_a_plain_rewrite_of_openzeppelin_and_proves_every_digest(int count)
    {
        var digests = RandomDigests(count, count);
        var tree = MerkleTree.Build(digests);
        Assert.Equal(ReferenceRoot(digests), tree.Root);
        Assert.Equal(count, tree.Count);

        var depthLimit = (int)Math.Ceiling(Math.Log2(count));
        for (var i = 0; i < count; i++)
        {
            var proof = tree.GetProof(i);
            Assert.InRange(proof.Length, 0, depthLimit);
            Assert.True(MerkleProof.Verify(tree.Root, digests[i], proof));
            Assert.Equal(digests[i], tree.GetDigest(i));
        }
    }

    [Fact]
    public void Builds_large_trees_across_cores_to_the_same_root()
    {
        // Above the size where leaves and levels are hashed in parallel, and not a power of two.
        var digests = RandomDigests(150_001, 7);
        Assert.Equal(ReferenceRoot(digests), MerkleTree.Build(digests).Root);
    }

    [Fact]
    public void A_single_digest_is_its_own_proof()
    {
        var digest = RandomDigests(1, 1)[0];
        var tree = MerkleTree.Build([digest]);
        Assert.Equal(MerkleTree.LeafHash(digest), tree.Root);
        Assert.Empty(tree.GetProof(0));
        Assert.True(MerkleProof.Verify(tree.Root, digest, []));
    }

    [Fact]
    public void Does_not_depend_on_input_order()
    {
        var digests = RandomDigests(37, 5);
        var shuffled = digests.Reverse().ToArray();
        Assert.Equal(MerkleTree.Build(digests).Root, MerkleTree.Build(shuffled).Root);
    }

    [Fact]
    public void Refuses_an_empty_set()
    {
        var error = Assert.Throws<ArgumentException>(() => MerkleTree.Build([]));
        Assert.Contains("at least one digest", error.Message);
    }

    [Fact]
    public void Refuses_duplicate_digests_naming_them()
    {
        var digests = RandomDigests(10, 9);
        digests[7] = digests[3];
        var error = Assert.Throws<ArgumentException>(() => MerkleTree.Build(digests));
        Assert.Contains("indices 3 and 7", error.Message);
    }

    [Fact]
    public void Refuses_duplicates_in_large_sets()
    {
        // Large sets are sorted by buckets instead of comparisons: the check must hold there too.
        var digests = RandomDigests(50_000, 10);
        digests[45_000] = digests[12];
        var error = Assert.Throws<ArgumentException>(() => MerkleTree.Build(digests));
        Assert.Contains("indices 12 and 45000", error.Message);
    }

    [Fact]
    public void Refuses_indices_outside_the_tree()
    {
        var tree = MerkleTree.Build(RandomDigests(5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.GetProof(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.GetProof(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.GetDigest(5));
    }

    [Fact]
    public void Finds_the_index_of_each_digest_and_nothing_else()
    {
        var digests = RandomDigests(300, 11);
        var tree = MerkleTree.Build(digests);
        for (var i = 0; i < digests.Length; i++)
        {
            Assert.True(tree.TryIndexOf(digests[i], out var index));
            Assert.Equal(i, index);
        }

        foreach (var stranger in RandomDigests(50, 12))
        {
            Assert.False(tree.TryIndexOf(stranger, out var index));
            Assert.Equal(-1, index);
        }
    }

    [Fact]
    public void Rejects_every_way_a_proof_can_be_broken()
    {
        var digests = RandomDigests(100, 13);
        var tree = MerkleTree.Build(digests);
        var other = MerkleTree.Build(RandomDigests(100, 14));
        const int index = 42;
        var proof = tree.GetProof(index);
        Assert.True(MerkleProof.Verify(tree.Root, digests[index], proof));

        // A flipped bit anywhere in any proof hash.
        for (var step = 0; step < proof.Length; step++)
        {
            foreach (var bit in new[] { 0, 7, 100, 255 })
            {
                var broken = (Bytes32[])proof.Clone();
                broken[step] = FlipBit(broken[step], bit);
                Assert.False(MerkleProof.Verify(tree.Root, digests[index], broken), $"step {step}, bit {bit}");
            }
        }

        // A flipped bit in the digest, another digest of the tree, and a digest not in it.
        Assert.False(MerkleProof.Verify(tree.Root, FlipBit(digests[index], 3), proof));
        Assert.False(MerkleProof.Verify(tree.Root, digests[index + 1], proof));
        Assert.False(MerkleProof.Verify(tree.Root, RandomDigests(1, 99)[0], proof));

        // Truncated, padded with a hash, or with a step repeated.
        for (var length = 0; length < proof.Length; length++)
        {
            Assert.False(MerkleProof.Verify(tree.Root, digests[index], proof[..length]));
        }

        Assert.False(MerkleProof.Verify(tree.Root, digests[index], [.. proof, tree.Root]));
        Assert.False(MerkleProof.Verify(tree.Root, digests[index], [.. proof, proof[^1]]));
        Assert.False(MerkleProof.Verify(tree.Root, digests[index], [.. proof, Bytes32.Zero]));

        // Proof hashes reordered.
        var swapped = (Bytes32[])proof.Clone();
        (swapped[0], swapped[1]) = (swapped[1], swapped[0]);
        Assert.False(MerkleProof.Verify(tree.Root, digests[index], swapped));

        // Another tree's root, a leaf hash given as the digest, and the zero root.
        Assert.False(MerkleProof.Verify(other.Root, digests[index], proof));
        Assert.False(MerkleProof.Verify(tree.Root, MerkleTree.LeafHash(digests[index]), proof));
        Assert.False(MerkleProof.Verify(Bytes32.Zero, digests[index], proof));
    }

    [Fact]
    public void Proves_any_subset_with_one_multiproof()
    {
        var random = new Random(21);
        foreach (var count in new[] { 1, 2, 3, 7, 8, 9, 100, 1000 })
        {
            var digests = RandomDigests(count, 100 + count);
            var tree = MerkleTree.Build(digests);
            for (var round = 0; round < 20; round++)
            {
                var subsetSize = 1 + random.Next(count);
                var indices = Enumerable.Range(0, count).OrderBy(_ => random.Next()).Take(subsetSize).ToArray();
                var multiProof = tree.GetMultiProof(indices);

                Assert.Equal(indices.Order(), multiProof.Indices.Order());
                Assert.Equal(multiProof.Indices.Select(i => digests[i]), multiProof.Leaves);
                Assert.Equal(multiProof.Leaves.Count + multiProof.Proof.Count, multiProof.ProofFlags.Count + 1);
                Assert.True(MerkleTree.VerifyMultiProof(tree.Root, multiProof.Leaves, multiProof.Proof, multiProof.ProofFlags));

                // The leaves come in ascending order of their leaf hashes.
                var leafHashes = multiProof.Leaves.Select(d => MerkleTree.LeafHash(d)).ToArray();
                Assert.Equal(leafHashes.Order(), leafHashes);
            }

            var all = tree.GetMultiProof(Enumerable.Range(0, count).ToArray());
            Assert.Empty(all.Proof);
            Assert.All(all.ProofFlags, Assert.True);
        }
    }

    [Fact]
    public void Rejects_a_tampered_multiproof()
    {
        var digests = RandomDigests(50, 31);
        var tree = MerkleTree.Build(digests);
        var other = MerkleTree.Build(RandomDigests(50, 32));
        var multiProof = tree.GetMultiProof([3, 9, 10, 27, 44]);
        var (leaves, proof, flags) = (multiProof.Leaves.ToArray(), multiProof.Proof.ToArray(), multiProof.ProofFlags.ToArray());
        Assert.True(MerkleTree.VerifyMultiProof(tree.Root, leaves, proof, flags));
        Assert.NotEmpty(proof);
        Assert.Contains(true, flags);

        Assert.False(MerkleTree.VerifyMultiProof(other.Root, leaves, proof, flags));

        for (var i = 0; i < leaves.Length; i++)
        {
            var changed = (Bytes32[])leaves.Clone();
            changed[i] = FlipBit(changed[i], 9);
            Assert.False(MerkleTree.VerifyMultiProof(tree.Root, changed, proof, flags));
        }

        for (var i = 0; i < proof.Length; i++)
        {
            var changed = (Bytes32[])proof.Clone();
            changed[i] = FlipBit(changed[i], 200);
            Assert.False(MerkleTree.VerifyMultiProof(tree.Root, leaves, changed, flags));
        }

        for (var i = 0; i < flags.Length; i++)
        {
            var changed = (bool[])flags.Clone();
            changed[i] = !changed[i];
            Assert.False(MerkleTree.VerifyMultiProof(tree.Root, leaves, proof, changed));
        }

        // Leaves out of order, one leaf missing, one added, one replaced by another digest of the tree.
        Assert.False(MerkleTree.VerifyMultiProof(tree.Root, leaves.Reverse().ToArray(), proof, flags));
        Assert.False(MerkleTree.VerifyMultiProof(tree.Root, leaves[1..], proof, flags));
        Assert.False(MerkleTree.VerifyMultiProof(tree.Root, [.. leaves, digests[0]], proof, flags));
        var replaced = (Bytes32[])leaves.Clone();
        replaced[0] = digests.First(d => !leaves.Contains(d));
        Assert.False(MerkleTree.VerifyMultiProof(tree.Root, replaced, proof, flags));

        // Proof hashes truncated or padded, flags truncated or padded.
        Assert.False(MerkleTree.VerifyMultiProof(tree.Root, leaves, proof[..^1], flags));
        Assert.False(MerkleTree.VerifyMultiProof(tree.Root, leaves, [.. proof, tree.Root], flags));
        Assert.False(MerkleTree.VerifyMultiProof(tree.Root, leaves, proof, flags[..^1]));
        Assert.False(MerkleTree.VerifyMultiProof(tree.Root, leaves, proof, [.. flags, true]));
        Assert.False(MerkleTree.VerifyMultiProof(tree.Root, leaves, proof[..^1], [.. flags[..^2], true]));

        // Nothing to prove: Solidity would accept the root as the whole proof; we do not.
        Assert.False(MerkleTree.VerifyMultiProof(tree.Root, [], [tree.Root], []));
    }

    [Fact]
    public void Refuses_multiproofs_of_nothing_of_repeats_and_of_strangers()
    {
        var tree = MerkleTree.Build(RandomDigests(10, 41));
        Assert.Throws<ArgumentException>(() => tree.GetMultiProof([]));
        var repeated = Assert.Throws<ArgumentException>(() => tree.GetMultiProof([2, 5, 2]));
        Assert.Contains("index 2 is given twice", repeated.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.GetMultiProof([1, 10]));
    }

    [Fact]
    public void Stores_and_loads_a_tree()
    {
        foreach (var count in new[] { 1, 2, 5, 33, 20_000 })
        {
            var digests = RandomDigests(count, 50 + count);
            var tree = MerkleTree.Build(digests);
            var bytes = StoredMerkleTree.ToBytes(tree);
            Assert.Equal(100 * count - 24, bytes.Length);

            var loaded = StoredMerkleTree.FromBytes(bytes);
            Assert.Equal(tree.Root, loaded.Root);
            Assert.Equal(count, loaded.Count);
            Assert.Equal(bytes, StoredMerkleTree.ToBytes(loaded));
            for (var i = 0; i < count; i += Math.Max(1, count / 50))
            {
                Assert.Equal(tree.GetProof(i), loaded.GetProof(i));
                Assert.Equal(tree.GetProof(i), StoredMerkleTree.ReadProof(bytes, i));
                Assert.Equal(digests[i], loaded.GetDigest(i));
                Assert.True(loaded.TryIndexOf(digests[i], out var index));
                Assert.Equal(i, index);
            }

            var indices = Enumerable.Range(0, count).Where(i => i % 3 == 0).ToArray();
            Assert.Equal(tree.GetMultiProof(indices), loaded.GetMultiProof(indices), MultiProofComparer.Instance);
        }
    }

    [Fact]
    public void Detects_every_single_bit_flip_in_a_stored_tree()
    {
        var bytes = StoredMerkleTree.ToBytes(MerkleTree.Build(RandomDigests(5, 61)));
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<FormatException>(() => StoredMerkleTree.FromBytes(corrupt));
        }
    }

    [Fact]
    public void Refuses_stored_trees_of_the_wrong_shape()
    {
        var bytes = StoredMerkleTree.ToBytes(MerkleTree.Build(RandomDigests(9, 71)));

        Assert.Contains("RMT1", Assert.Throws<FormatException>(() => StoredMerkleTree.FromBytes([])).Message);
        Assert.Contains("RMT1", Assert.Throws<FormatException>(() => StoredMerkleTree.FromBytes(bytes[..7])).Message);
        Assert.Contains("bytes long", Assert.Throws<FormatException>(() => StoredMerkleTree.FromBytes(bytes[..^1])).Message);
        Assert.Contains("bytes long", Assert.Throws<FormatException>(() => StoredMerkleTree.FromBytes([.. bytes, 0])).Message);

        var noDigests = (byte[])bytes.Clone();
        noDigests[4] = 0;
        Assert.Contains("not 0", Assert.Throws<FormatException>(() => StoredMerkleTree.FromBytes(noDigests[..8])).Message);

        // Two digests mapped to the same leaf.
        var positions = 8 + 9 * 32;
        var shared = (byte[])bytes.Clone();
        Array.Copy(shared, positions, shared, positions + 4, 4);
        Assert.Contains("same leaf", Assert.Throws<FormatException>(() => StoredMerkleTree.FromBytes(shared)).Message);

        // A digest mapped to an inner node.
        var inner = (byte[])bytes.Clone();
        inner[positions] = 3;
        inner[positions + 1] = inner[positions + 2] = inner[positions + 3] = 0;
        Assert.Contains("not a leaf", Assert.Throws<FormatException>(() => StoredMerkleTree.FromBytes(inner)).Message);
        Assert.Throws<FormatException>(() => StoredMerkleTree.ReadProof(inner, 0));

        // A root that is not the root of the stored nodes.
        var root = (byte[])bytes.Clone();
        root[positions + 9 * 4] ^= 1;
        Assert.Contains("root", Assert.Throws<FormatException>(() => StoredMerkleTree.FromBytes(root)).Message);

        // A digest that is not the one its leaf was made of.
        var digest = (byte[])bytes.Clone();
        digest[8 + 32 * 4] ^= 0x80;
        Assert.Contains("leaf for digest 4", Assert.Throws<FormatException>(() => StoredMerkleTree.FromBytes(digest)).Message);

        Assert.Throws<ArgumentOutOfRangeException>(() => StoredMerkleTree.ReadProof(bytes, 9));
        Assert.Throws<FormatException>(() => StoredMerkleTree.ReadProof(bytes[..^1], 0));
    }

    private sealed class MultiProofComparer : IEqualityComparer<MultiProof>
    {
        public static readonly MultiProofComparer Instance = new();

        public bool Equals(MultiProof? x, MultiProof? y) =>
            x is not null && y is not null &&
            x.Leaves.SequenceEqual(y.Leaves) && x.Proof.SequenceEqual(y.Proof) &&
            x.ProofFlags.SequenceEqual(y.ProofFlags) && x.Indices.SequenceEqual(y.Indices);

        public int GetHashCode(MultiProof obj) => obj.Leaves.Count;
    }
}
