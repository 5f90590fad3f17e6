using System.Collections.Concurrent;
using Registry.Hashing;

namespace Registry.Verification;

/// <summary>
/// Remembers what the chain does not take back, so a busy verifier makes one node call per
/// credential (the contract's <c>verify</c>, which is never cached: a revocation can come at any
/// time). Kept for good: the RPC's chain id, an anchoring transaction's receipt (asked once per root),
/// and a revocation's record with its reason. Kept briefly: issuer records, which a removal changes.
/// </summary>
/// <param name="knownChainId">The chain id when it was already read from this RPC endpoint.</param>
public sealed class CachingChainReader(IChainReader inner, TimeProvider? clock = null, long? knownChainId = null) : IChainReader
{
    public const int Capacity = 100_000;
    public static readonly TimeSpan IssuerLifetime = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SemaphoreSlim _chainIdGate = new(1, 1);
    private long? _chainId = knownChainId;
    private readonly ConcurrentDictionary<string, AnchoringReceipt> _receipts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string, Bytes32), RevocationRecord> _revocations = new();
    private readonly ConcurrentDictionary<string, (IssuerRecord Record, DateTimeOffset Until)> _issuers = new(StringComparer.OrdinalIgnoreCase);

    public async Task<long> GetChainIdAsync(CancellationToken cancellationToken = default)
    {
        if (_chainId is { } known) return known;
        await _chainIdGate.WaitAsync(cancellationToken);
        try
        {
            return _chainId ??= await inner.GetChainIdAsync(cancellationToken);
        }
        finally
        {
            _chainIdGate.Release();
        }
    }

    public Task<ChainVerdict> VerifyAsync(string issuer, Bytes32 root, Bytes32 digest, IReadOnlyList<Bytes32> proof, CancellationToken cancellationToken = default) =>
        inner.VerifyAsync(issuer, root, digest, proof, cancellationToken);

    public async Task<AnchoringReceipt?> GetAnchoringReceiptAsync(string transactionHash, CancellationToken cancellationToken = default)
    {
        if (_receipts.TryGetValue(transactionHash, out var known)) return known;
        var receipt = await inner.GetAnchoringReceiptAsync(transactionHash, cancellationToken);
        // Only a receipt that anchored something is kept: that is what a verifier asks about again.
        if (receipt is { Anchors.Count: > 0 }) Remember(_receipts, transactionHash, receipt);
        return receipt;
    }

    public Task<AnchorRecord?> GetAnchorAsync(string issuer, Bytes32 root, CancellationToken cancellationToken = default) =>
        inner.GetAnchorAsync(issuer, root, cancellationToken);

    public async Task<IssuerRecord?> GetIssuerAsync(string issuer, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        if (_issuers.TryGetValue(issuer, out var known) && known.Until > now) return known.Record;
        var record = await inner.GetIssuerAsync(issuer, cancellationToken);
        if (record is not null) Remember(_issuers, issuer, (record, now + IssuerLifetime));
        return record;
    }

    public async Task<RevocationRecord?> GetRevocationAsync(string issuer, Bytes32 digest, CancellationToken cancellationToken = default)
    {
        var key = (issuer.ToLowerInvariant(), digest);
        if (_revocations.TryGetValue(key, out var known)) return known;
        var revocation = await inner.GetRevocationAsync(issuer, digest, cancellationToken);
        if (revocation is { Reason: not null }) Remember(_revocations, key, revocation);
        return revocation;
    }

    private static void Remember<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, TKey key, TValue value) where TKey : notnull
    {
        // A crude bound: start again rather than grow without limit.
        if (cache.Count >= Capacity) cache.Clear();
        cache[key] = value;
    }
}
