using System.Diagnostics;
using Registry.Hashing;
using Registry.Merkle;

namespace Registry.Load;

/// <summary>The Merkle tree in this process, at each size: random digests to the root, and one proof read from the tree's stored form.</summary>
public static class MerkleMeasures
{
    public static void Run(int[] sizes, Rows rows)
    {
        var random = new Random(1);
        foreach (var size in sizes)
        {
            var digests = new Bytes32[size];
            var bytes = new byte[32];
            for (var i = 0; i < size; i++)
            {
                random.NextBytes(bytes);
                digests[i] = Bytes32.FromSpan(bytes);
            }
            MerkleTree.Build(digests); // warm-up
            var best = double.MaxValue;
            MerkleTree tree = null!;
            for (var round = 0; round < 3; round++)
            {
                var clock = Stopwatch.StartNew();
                tree = MerkleTree.Build(digests);
                best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
            }
            rows.Add(new Row("Merkle tree to its root", size, best, "ms", "ours", "best of 3"));

            var stored = StoredMerkleTree.ToBytes(tree);
            const int proofs = 100_000;
            var timer = Stopwatch.StartNew();
            for (var i = 0; i < proofs; i++) StoredMerkleTree.ReadProof(stored, (int)((i * 7919L) % size));
            rows.Add(new Row("one proof from the stored tree", size, timer.Elapsed.TotalMicroseconds / proofs, "µs", "ours"));
        }
    }
}
