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
/// hash to its holder, in memory, so authenticating a request costs one hash and one lookup. A key
/// of the form the registry gives that it does not hold makes it look that one hash up in the store
/// (an indexed lookup): another instance on the same database may have created the holder, and the
/// key is then accepted at its first request, however recently another unknown key was looked up.
/// Nothing is remembered of a key not found, so a key is never refused once its holder is stored.
/// What keys nobody holds can cost the store is bounded instead: concurrent requests with one key
/// share one lookup, and at most <see cref="MaxConcurrentLookups"/> lookups run at a time (the others
/// wait their turn; none is refused for it).
/// </summary>
public sealed class ApiKeyDirectory
{
    /// <summary>How many store lookups of unknown keys may run at once: a flood of made-up keys holds no more of the database.</summary>
    public const int MaxConcurrentLookups = 2;

    private const string Prefix = "rk_";

    /// <summary>The length of a key <see cref="NewKey"/> gives: the prefix and 32 bytes in unpadded base64url.</summary>
    private const int IssuedLength = 46;

    private static readonly System.Buffers.SearchValues<char> Base64UrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly ConcurrentDictionary<string, KeyHolder> _holders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<KeyHolder?>>> _lookups = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lookupSlots = new(MaxConcurrentLookups);
    private Func<string, KeyHolder?>? _lookup;

    public static string NewKey() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public void Register(string keyHash, KeyHolder holder) => _holders[keyHash] = holder;

    /// <summary>Registers every holder of <paramref name="holders"/> now; a key not held later is looked up by its hash with <paramref name="lookup"/>.</summary>
    public void LoadFrom(IEnumerable<(string Hash, KeyHolder Holder)> holders, Func<string, KeyHolder?> lookup)
    {
        foreach (var (hash, holder) in holders) Register(hash, holder);
        _lookup = lookup;
    }

    public async Task<KeyHolder?> FindAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length is 0 or > 256) return null;
        var hash = Hash(key);
        if (_holders.TryGetValue(hash, out var holder)) return holder;
        // Only keys the registry gives are stored (the admin's, of any form, is always held).
        if (_lookup is not { } lookup || !IsOfIssuedForm(key)) return null;
        var mine = new Lazy<Task<KeyHolder?>>(() => LookUpAsync(hash, lookup));
        var shared = _lookups.GetOrAdd(hash, mine);
        try
        {
            // A lookup already under way for this hash began after its key was known, so after its holder was stored.
            return await shared.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (shared == mine) _lookups.TryRemove(KeyValuePair.Create(hash, mine));
        }
    }

    private async Task<KeyHolder?> LookUpAsync(string hash, Func<string, KeyHolder?> lookup)
    {
        await _lookupSlots.WaitAsync();
        try
        {
            if (_holders.TryGetValue(hash, out var holder)) return holder;
            holder = lookup(hash);
            if (holder is not null) Register(hash, holder);
            return holder;
        }
        finally
        {
            _lookupSlots.Release();
        }
    }

    private static bool IsOfIssuedForm(string key) =>
        key.Length == IssuedLength && key.StartsWith(Prefix, StringComparison.Ordinal)
        && key.AsSpan(Prefix.Length).IndexOfAnyExcept(Base64UrlCharacters) < 0;
}
