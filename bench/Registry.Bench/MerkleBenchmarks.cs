using BenchmarkDotNet.Attributes;
using Registry.Hashing;
using Registry.Merkle;

namespace Registry.Bench;

/// <summary>A tree of 1,000,000 digests: building it, storing it, and answering proofs from it.</summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class MerkleBenchmarks
{
    private const int Size = 1_000_000;

    private Bytes32[] _digests = [];
    private MerkleTree _built = null!;
    private MerkleTree _loaded = null!;
    private byte[] _stored = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var bytes = new byte[32];
        _digests = new Bytes32[Size];
        for (var i = 0; i < Size; i++)
        {
            random.NextBytes(bytes);
            _digests[i] = Bytes32.FromSpan(bytes);
        }

        _built = MerkleTree.Build(_digests);
        _stored = StoredMerkleTree.ToBytes(_built);
        _loaded = StoredMerkleTree.FromBytes(_stored);
    }

    // Spread the proofs over the tree instead of walking one path that stays in cache.
    private int NextIndex() => _next = (_next + 7_919) % Size;

    [Benchmark(Description = "Build, 1,000,000 digests to the root")]
    public Bytes32 Build() => MerkleTree.Build(_digests).Root;

    [Benchmark(Description = "GetProof, built tree of 1,000,000")]
    public Bytes32[] ProofFromBuiltTree() => _built.GetProof(NextIndex());

    [Benchmark(Description = "GetProof, tree of 1,000,000 loaded with FromBytes")]
    public Bytes32[] ProofFromLoadedTree() => _loaded.GetProof(NextIndex());

    [Benchmark(Description = "ReadProof, straight from the stored bytes of 1,000,000")]
    public Bytes32[] ProofFromStoredBytes() => StoredMerkleTree.ReadProof(_stored, NextIndex());

    [Benchmark(Description = "ToBytes, tree of 1,000,000")]
    public int Store() => StoredMerkleTree.ToBytes(_built).Length;

    [Benchmark(Description = "FromBytes with full check, tree of 1,000,000")]
    public Bytes32 Load() => StoredMerkleTree.FromBytes(_stored).Root;
}
