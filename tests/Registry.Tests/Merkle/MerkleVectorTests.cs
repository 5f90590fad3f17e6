using System.Text;
using System.Text.Json;
using Registry.Hashing;
using Registry.Merkle;

namespace Registry.Tests.Merkle;

/// <summary>Checks against trees and proofs made by @openzeppelin/merkle-tree, kept in Vectors/oz-merkle-tree.</summary>
public class MerkleVectorTests
{
    private static JsonElement Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Vectors", "oz-merkle-tree", name);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }

    private static Bytes32 Hash(JsonElement element) => Bytes32.Parse(element.GetString()!);

    private static Bytes32[] Hashes(JsonElement array) => array.EnumerateArray().Select(Hash).ToArray();

    private static Bytes32 VectorDigest(int size, int index) =>
        Keccak256.Hash(Encoding.UTF8.GetBytes($"vector-digest-{size}-{index}"));

    private static int[] Sizes() =>
        Load("bytes32-trees.json").GetProperty("trees").EnumerateArray().Select(tree => tree.GetProperty("size").GetInt32()).ToArray();

    public static TheoryData<int> TreeSizes() => new(Sizes());

    [Fact]
    public void Has_the_trees_of_all_sizes_in_the_file()
    {
        int[] expected = [1, 2, 3, 4, 5, 7, 8, 13, 100];
        Assert.Equal(expected, Sizes());
    }

    [Theory]
    [MemberData(nameof(TreeSizes))]
    public void Builds_the_same_root_leaves_and_proofs_as_openzeppelin(int size)
    {
        var vector = Load("bytes32-trees.json").GetProperty("trees").EnumerateArray()
            .Single(tree => tree.GetProperty("size").GetInt32() == size);
        var entries = vector.GetProperty("leaves").EnumerateArray().ToArray();
        var digests = entries.Select(entry => Hash(entry.GetProperty("digest"))).ToArray();
        Assert.Equal(size, digests.Length);

        // The file lists the digests in the order they were given to StandardMerkleTree.of.
        Assert.Equal(Enumerable.Range(0, size).Select(i => VectorDigest(size, i)), digests);

        var tree = MerkleTree.Build(digests);
        var root = Hash(vector.GetProperty("root"));
        Assert.Equal(root, tree.Root);
        Assert.Equal(size, tree.Count);

        for (var i = 0; i < size; i++)
        {
            var proof = Hashes(entries[i].GetProperty("proof"));
            Assert.Equal(Hash(entries[i].GetProperty("leaf")), MerkleTree.LeafHash(digests[i]));
            Assert.Equal(proof, tree.GetProof(i));
            Assert.True(MerkleProof.Verify(root, digests[i], proof));
            Assert.Equal(root, MerkleProof.ProcessProof(MerkleTree.LeafHash(digests[i]), proof));
            Assert.True(tree.TryIndexOf(digests[i], out var found));
            Assert.Equal(i, found);
        }
    }

    [Fact]
    public void Lays_out_the_standard_v1_dump_as_openzeppelin()
    {
        // This dump uses leaf encoding ["string"], not our ["bytes32"]: its leaves are
        // keccak256(keccak256(abi.encode(string))). Computing them here checks the double hash
        // on another encoding; the node array made from them checks sorting, layout and inner nodes.
        var dump = Load("standard-v1.sorted.1_0_6.json");
        Assert.Equal("string", dump.GetProperty("leafEncoding")[0].GetString());
        var expected = Hashes(dump.GetProperty("tree"));

        var leaves = new List<Bytes32>();
        foreach (var entry in dump.GetProperty("values").EnumerateArray())
        {
            var value = entry.GetProperty("value")[0].GetString()!;
            var leaf = Keccak256.Hash(Keccak256.Hash(AbiEncodeString(value)));
            Assert.Equal(expected[entry.GetProperty("treeIndex").GetInt32()], leaf);
            leaves.Add(leaf);
        }

        Assert.Equal(expected, MerkleTree.NodesOfLeaves(leaves.ToArray()));
    }

    [Fact]
    public void Lays_out_the_simple_v1_dump_as_openzeppelin()
    {
        // SimpleMerkleTree takes its values as the leaves themselves.
        var dump = Load("simple-v1.sorted.1_0_6.json");
        var expected = Hashes(dump.GetProperty("tree"));
        var leaves = new List<Bytes32>();
        foreach (var entry in dump.GetProperty("values").EnumerateArray())
        {
            var leaf = Hash(entry.GetProperty("value"));
            Assert.Equal(expected[entry.GetProperty("treeIndex").GetInt32()], leaf);
            leaves.Add(leaf);
        }

        Assert.Equal(expected, MerkleTree.NodesOfLeaves(leaves.ToArray()));
    }

    [Fact]
    public void Makes_the_same_multiproofs_as_openzeppelin()
    {
        var checkedProofs = 0;
        foreach (var vector in Load("bytes32-multiproofs.json").GetProperty("trees").EnumerateArray())
        {
            var size = vector.GetProperty("size").GetInt32();
            var digests = Hashes(vector.GetProperty("digests"));
            Assert.Equal(Enumerable.Range(0, size).Select(i => VectorDigest(size, i)), digests);
            var tree = MerkleTree.Build(digests);
            var root = Hash(vector.GetProperty("root"));
            Assert.Equal(root, tree.Root);

            foreach (var expected in vector.GetProperty("multiproofs").EnumerateArray())
            {
                var indices = expected.GetProperty("indices").EnumerateArray().Select(i => i.GetInt32()).ToArray();
                var leaves = Hashes(expected.GetProperty("leaves"));
                var proof = Hashes(expected.GetProperty("proof"));
                var flags = expected.GetProperty("proofFlags").EnumerateArray().Select(f => f.GetBoolean()).ToArray();

                var multiProof = tree.GetMultiProof(indices);
                Assert.Equal(leaves, multiProof.Leaves);
                Assert.Equal(proof, multiProof.Proof);
                Assert.Equal(flags, multiProof.ProofFlags);
                Assert.Equal(leaves, multiProof.Indices.Select(i => digests[i]));
                Assert.True(MerkleTree.VerifyMultiProof(root, leaves, proof, flags));
                checkedProofs++;
            }
        }

        Assert.True(checkedProofs >= 100);
    }

    /// <summary>abi.encode(string): the offset 0x20, the length, then the bytes padded to 32.</summary>
    private static byte[] AbiEncodeString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var encoded = new byte[64 + (bytes.Length + 31) / 32 * 32];
        encoded[31] = 0x20;
        encoded[63] = (byte)bytes.Length;
        bytes.CopyTo(encoded, 64);
        return encoded;
    }
}
