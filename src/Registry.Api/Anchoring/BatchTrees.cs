using Registry.Api.Storage;
using Registry.Merkle;

namespace Registry.Api.Anchoring;

/// <summary>
/// Merkle trees of recent batches, rebuilt from a batch's stored digests when not in memory. The cache
/// holds at most <see cref="CapacityLeaves"/> leaves (a tree takes about 100 bytes a leaf), and always the latest tree.
/// </summary>
public sealed class BatchTrees(IBatchStore batches)
{
    public const int CapacityLeaves = 2_000_000;
    private long _leaves;
    private readonly Dictionary<string, MerkleTree> _trees = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public void Add(string batchId, MerkleTree tree)
    {
        lock (_trees)
        {
            if (!_trees.TryAdd(batchId, tree)) return;
            _order.Enqueue(batchId);
            _leaves += tree.Count;
            while (_leaves > CapacityLeaves && _order.Count > 1 && _trees.Remove(_order.Dequeue(), out var evicted)) _leaves -= evicted.Count;
        }
    }

    public MerkleTree Get(BatchEntity batch)
    {
        lock (_trees)
            if (_trees.TryGetValue(batch.Id, out var cached)) return cached;
        var tree = MerkleTree.Build(batches.DigestsOf(batch));
        Add(batch.Id, tree);
        return tree;
    }
}
