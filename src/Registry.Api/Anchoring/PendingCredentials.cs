using Registry.Api.Storage;

namespace Registry.Api.Anchoring;

/// <summary>
/// How many credentials each issuer has waiting for a batch, and since when: kept in memory (and
/// rebuilt from the store at start) so the sealer can decide without scanning the store.
/// </summary>
public sealed class PendingCredentials
{
    private readonly Dictionary<string, (int Count, DateTime Oldest)> _byIssuer = new(StringComparer.Ordinal);

    public PendingCredentials(RegistryDatabase database)
    {
        foreach (var group in database.Credentials.Find(c => c.PendingFor != null).GroupBy(c => c.PendingFor!))
            _byIssuer[group.Key] = (group.Count(), group.Min(c => c.CreatedAt));
    }

    public void Added(string issuerId, int count, DateTime at)
    {
        lock (_byIssuer)
            _byIssuer[issuerId] = _byIssuer.TryGetValue(issuerId, out var old)
                ? (old.Count + count, old.Oldest < at ? old.Oldest : at)
                : (count, at);
    }

    /// <summary>Records that a batch took <paramref name="count"/> of the issuer's oldest pending credentials.</summary>
    public void Sealed(string issuerId, int count, DateTime? oldestLeft)
    {
        lock (_byIssuer)
        {
            if (!_byIssuer.TryGetValue(issuerId, out var old)) return;
            var left = old.Count - count;
            if (left <= 0) _byIssuer.Remove(issuerId);
            else _byIssuer[issuerId] = (left, oldestLeft ?? old.Oldest);
        }
    }

    /// <summary>Issuers whose pending credentials fill a batch or have waited long enough.</summary>
    public IReadOnlyList<string> Due(int maxBatchSize, TimeSpan maxDelay, DateTime now)
    {
        lock (_byIssuer)
            return _byIssuer.Where(p => p.Value.Count >= maxBatchSize || now - p.Value.Oldest >= maxDelay).Select(p => p.Key).ToList();
    }
}
