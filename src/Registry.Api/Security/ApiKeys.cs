using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Registry.Api.Security;

public static class Roles
{
    public const string Admin = "admin";
    public const string Issuer = "issuer";
    public const string Auditor = "auditor";
}

/// <summary>Who an API key belongs to.</summary>
public sealed record KeyHolder(string Role, string Id);

/// <summary>
/// API keys are random, shown once and stored only as SHA-256 hashes; this directory maps a key's
/// hash to its holder, in memory, so authenticating a request costs one hash and one lookup. A key it
/// does not know makes it read the holders from the store again, at most once a second: another
/// instance on the same database may have created the holder since.
/// </summary>
public sealed class ApiKeyDirectory
{
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, KeyHolder> _holders = new(StringComparer.Ordinal);
    private readonly Lock _reloading = new();
    private Func<IEnumerable<(string Hash, KeyHolder Holder)>>? _source;
    private long? _lastReload;

    public static string NewKey() => "rk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public void Register(string keyHash, KeyHolder holder) => _holders[keyHash] = holder;

    /// <summary>Registers every holder <paramref name="source"/> lists, now and whenever a key is not found.</summary>
    public void LoadFrom(Func<IEnumerable<(string Hash, KeyHolder Holder)>> source)
    {
        _source = source;
        foreach (var (hash, holder) in source()) Register(hash, holder);
        _lastReload = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    public KeyHolder? Find(string key)
    {
        if (key.Length is 0 or > 256) return null;
        var hash = Hash(key);
        if (_holders.TryGetValue(hash, out var holder)) return holder;
        if (_source is not { } source) return null;
        lock (_reloading)
        {
            if (_holders.TryGetValue(hash, out holder)) return holder;
            if (_lastReload is { } last && System.Diagnostics.Stopwatch.GetElapsedTime(last) < ReloadInterval) return null;
            _lastReload = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var (known, knownHolder) in source()) Register(known, knownHolder);
        }
        return _holders.GetValueOrDefault(hash);
    }
}
