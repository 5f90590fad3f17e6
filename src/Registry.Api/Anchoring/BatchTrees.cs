using Registry.Api.Storage;
using Registry.Hashing;
using Registry.Merkle;

namespace Registry.Api.Anchoring;

/// <summary>Merkle trees of recent batches, rebuilt from a batch's stored digests when not in memory.</summary>
public sealed class BatchTrees
{
    private const int Capacity = 32;
    private readonly Dictionary<string, MerkleTree> _trees = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public void Add(string batchId, MerkleTree tree)
    {
        lock (_trees)
        {
            if (_trees.TryAdd(batchId, tree)) _order.Enqueue(batchId);
            while (_order.Count > Capacity) _trees.Remove(_order.Dequeue());
        }
    }

    public MerkleTree Get(BatchEntity batch)
    {
        lock (_trees)
            if (_trees.TryGetValue(batch.Id, out var cached)) return cached;
        var tree = MerkleTree.Build(Unpack(batch.Digests));
        Add(batch.Id, tree);
        return tree;
    }

    public static Bytes32[] Unpack(byte[] packed)
    {
        var digests = new Bytes32[packed.Length / 32];
        for (var i = 0; i < digests.Length; i++) digests[i] = Bytes32.FromSpan(packed.AsSpan(32 * i, 32));
        return digests;
    }
}
