using Registry.Audit;
using Registry.Hashing;
using Registry.Merkle;
using Registry.Verification;

namespace Registry.Index;

/// <summary>
/// What one contract's events say, up to one block: anchors by (issuer, root), issuers, revocations by
/// (issuer, digest), which transaction anchored what, and every event in chain order. Built by applying
/// the events of consecutive block ranges; a reorganisation rolls it back to a block and it is read
/// forward again. Readers never wait on the chain: every answer is a lookup, as of <see cref="Cursor"/>.
/// </summary>
public sealed class ChainIndex
{
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly List<RegistryEvent> _events = [];
    private readonly Dictionary<(string Issuer, Bytes32 Root), IndexedAnchor> _anchors = new();
    private readonly Dictionary<string, IssuerRecord> _issuers = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Issuer, Bytes32 Digest), RevocationRecord> _revocations = new();
    private readonly Dictionary<string, HashSet<Bytes32>> _revokedBy = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AnchoringReceipt> _receipts = new(StringComparer.Ordinal);

    /// <summary>The last block applied; null before the first range.</summary>
    public ChainPoint? Cursor { get; private set; }

    public int EventCount
    {
        get
        {
            _lock.EnterReadLock();
            try { return _events.Count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>Applies the events of the blocks after <see cref="Cursor"/> up to <paramref name="to"/>, in chain order.</summary>
    public void Apply(IReadOnlyList<RegistryEvent> events, ChainPoint to)
    {
        _lock.EnterWriteLock();
        try
        {
            if (Cursor is { } at && to.Number < at.Number)
                throw new ArgumentException($"Block {to.Number} is behind the index's block {at.Number}.", nameof(to));
            foreach (var e in events)
            {
                if (e.BlockNumber > to.Number || (Cursor is { } from && e.BlockNumber <= from.Number))
                    throw new ArgumentException($"Event in block {e.BlockNumber} is outside the range applied.", nameof(events));
                Add(e);
            }
            Cursor = to;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Forgets everything after <paramref name="ancestor"/> (null: everything), after a reorganisation.</summary>
    public void RollBackTo(ChainPoint? ancestor)
    {
        _lock.EnterWriteLock();
        try
        {
            var keep = ancestor is null ? [] : _events.Where(e => e.BlockNumber <= ancestor.Number).ToList();
            _events.Clear();
            _anchors.Clear();
            _issuers.Clear();
            _revocations.Clear();
            _revokedBy.Clear();
            _receipts.Clear();
            foreach (var e in keep) Add(e);
            Cursor = ancestor;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The blocks the index holds events of, newest first, with their hashes: where a reorganisation is traced back to.</summary>
    public IReadOnlyList<ChainPoint> EventBlocks()
    {
        _lock.EnterReadLock();
        try
        {
            return _events.Where(e => e.BlockHash is not null).GroupBy(e => e.BlockNumber).OrderByDescending(g => g.Key)
                .Select(g => new ChainPoint(g.Key, g.First().BlockHash!, g.First().Timestamp)).ToList();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public IndexedAnchor? AnchorOf(string issuer, Bytes32 root) => Read(() => _anchors.GetValueOrDefault((issuer.ToLowerInvariant(), root)));

    public IssuerRecord? IssuerOf(string issuer) => Read(() => _issuers.GetValueOrDefault(issuer.ToLowerInvariant()));

    public RevocationRecord? RevocationOf(string issuer, Bytes32 digest) => Read(() => _revocations.GetValueOrDefault((issuer.ToLowerInvariant(), digest)));

    /// <summary>The digests the issuer revoked, each with its revocation, as of <see cref="Cursor"/>.</summary>
    public IReadOnlyList<(Bytes32 Digest, RevocationRecord Revocation)> RevocationsBy(string issuer) => Read<IReadOnlyList<(Bytes32, RevocationRecord)>>(() =>
    {
        issuer = issuer.ToLowerInvariant();
        return _revokedBy.TryGetValue(issuer, out var digests) ? digests.Select(d => (d, _revocations[(issuer, d)])).ToList() : [];
    });

    public AnchoringReceipt? ReceiptOf(string transactionHash) => Read(() => _receipts.GetValueOrDefault(transactionHash.ToLowerInvariant()));

    /// <summary>
    /// What the contract's <c>verify</c> would answer as of <see cref="Cursor"/>, or null when the issuer
    /// has no anchor of the root here: the contract's answer computed from its events.
    /// </summary>
    public ChainVerdict? Verify(string issuer, Bytes32 root, Bytes32 digest, IReadOnlyList<Bytes32> proof)
    {
        _lock.EnterReadLock();
        try
        {
            issuer = issuer.ToLowerInvariant();
            if (!_anchors.TryGetValue((issuer, root), out var anchor)) return null;
            var included = MerkleProof.Verify(root, digest, proof.ToArray());
            var known = _issuers.TryGetValue(issuer, out var record);
            var trusted = known && record!.TrustedAt(anchor.AnchoredAt);
            var revokedAt = included && _revocations.TryGetValue((issuer, digest), out var revocation) ? revocation.RevokedAt : (DateTimeOffset?)null;
            return new ChainVerdict(included, anchor.AnchoredAt, anchor.Count, trusted, revokedAt, known ? record!.SigningKey : Bytes32.Zero, Cursor);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> events after the position (block, log index) given, in chain order,
    /// filtered by type, issuer and time; and whether more follow.
    /// </summary>
    public (IReadOnlyList<RegistryEvent> Events, bool More) Events(
        long fromBlock, long afterLogIndex, long toBlock, int limit, string? issuer = null, string? type = null, DateTimeOffset? since = null)
    {
        _lock.EnterReadLock();
        try
        {
            var start = FirstAtOrAfter(fromBlock);
            var page = new List<RegistryEvent>(Math.Min(limit, 256));
            for (var i = start; i < _events.Count; i++)
            {
                var e = _events[i];
                if (e.BlockNumber > toBlock) break;
                if (e.BlockNumber == fromBlock && e.LogIndex <= afterLogIndex) continue;
                if (type is not null && e.Type != type) continue;
                if (issuer is not null && !string.Equals(e.Issuer, issuer, StringComparison.OrdinalIgnoreCase)) continue;
                if (since is not null && e.Timestamp < since) continue;
                if (page.Count == limit) return (page, true);
                page.Add(e);
            }
            return (page, false);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private int FirstAtOrAfter(long block)
    {
        int low = 0, high = _events.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_events[mid].BlockNumber < block) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    private void Add(RegistryEvent e)
    {
        _events.Add(e);
        var issuer = e.Issuer.ToLowerInvariant();
        switch (e.Type)
        {
            case RegistryEventTypes.IssuerAdded:
                _issuers[issuer] = new IssuerRecord(e.Name ?? "", e.Timestamp, null, null, e.SigningKey is { } key ? Bytes32.Parse(key) : Bytes32.Zero);
                break;
            case RegistryEventTypes.IssuerRemoved when _issuers.TryGetValue(issuer, out var known):
                // A later removal may only lower trustedUntil; the first one fixes removedAt.
                _issuers[issuer] = known with { RemovedAt = known.RemovedAt ?? e.Timestamp, TrustedUntil = e.TrustedUntil };
                break;
            case RegistryEventTypes.Anchored:
                var root = Bytes32.Parse(e.Root!);
                _anchors[(issuer, root)] = new IndexedAnchor(e.Timestamp, e.Count ?? 0, e.TransactionHash, e.BlockNumber);
                var anchors = _receipts.TryGetValue(e.TransactionHash, out var receipt) ? receipt.Anchors.ToList() : [];
                anchors.Add((issuer, root));
                _receipts[e.TransactionHash] = new AnchoringReceipt(e.TransactionHash, e.BlockNumber, anchors);
                break;
            case RegistryEventTypes.Revoked:
                var digest = Bytes32.Parse(e.Digest!);
                _revocations[(issuer, digest)] = new RevocationRecord(e.Timestamp, e.BlockNumber, e.Reason);
                if (!_revokedBy.TryGetValue(issuer, out var revoked)) _revokedBy[issuer] = revoked = [];
                revoked.Add(digest);
                break;
        }
    }

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try { return read(); }
        finally { _lock.ExitReadLock(); }
    }
}

/// <summary>An anchor as the index knows it: when, how many, and in which transaction and block.</summary>
public sealed record IndexedAnchor(DateTimeOffset AnchoredAt, uint Count, string TransactionHash, long BlockNumber);
