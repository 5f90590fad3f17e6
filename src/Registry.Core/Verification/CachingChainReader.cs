using System.Collections.Concurrent;
using Registry.Hashing;

namespace Registry.Verification;

/// <summary>
/// Remembers what the chain cannot take back, so a busy verifier asks the node once per
/// verification instead of three times: an anchor never changes once set, nor does a revocation.
/// Issuer records can change (removal), so they are kept only briefly; a digest that is not revoked
/// is always asked again.
/// </summary>
public sealed class CachingChainReader(IChainReader inner, TimeProvider? clock = null) : IChainReader
{
    public const int Capacity = 100_000;
    public static readonly TimeSpan IssuerLifetime = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<Bytes32, AnchorRecord> _anchors = new();
    private readonly ConcurrentDictionary<Bytes32, RevocationRecord> _revocations = new();
    private readonly ConcurrentDictionary<string, (IssuerRecord Record, DateTimeOffset Until)> _issuers = new(StringComparer.OrdinalIgnoreCase);

    public async Task<AnchorRecord?> GetAnchorAsync(Bytes32 root, CancellationToken cancellationToken = default)
    {
        if (_anchors.TryGetValue(root, out var known)) return known;
        var anchor = await inner.GetAnchorAsync(root, cancellationToken);
        if (anchor is not null) Remember(_anchors, root, anchor);
        return anchor;
    }

    public async Task<IssuerRecord?> GetIssuerAsync(string address, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        if (_issuers.TryGetValue(address, out var known) && known.Until > now) return known.Record;
        var issuer = await inner.GetIssuerAsync(address, cancellationToken);
        if (issuer is not null)
        {
            if (_issuers.Count >= Capacity) _issuers.Clear();
            _issuers[address] = (issuer, now + IssuerLifetime);
        }
        return issuer;
    }

    public async Task<RevocationRecord?> GetRevocationAsync(Bytes32 digest, CancellationToken cancellationToken = default)
    {
        if (_revocations.TryGetValue(digest, out var known)) return known;
        var revocation = await inner.GetRevocationAsync(digest, cancellationToken);
        if (revocation is not null) Remember(_revocations, digest, revocation);
        return revocation;
    }

    private static void Remember<T>(ConcurrentDictionary<Bytes32, T> cache, Bytes32 key, T value)
    {
        // A crude bound: start again rather than grow without limit.
        if (cache.Count >= Capacity) cache.Clear();
        cache[key] = value;
    }
}
