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
/// hash to its holder, in memory, so authenticating a request costs one hash and one lookup.
/// </summary>
public sealed class ApiKeyDirectory
{
    private readonly ConcurrentDictionary<string, KeyHolder> _holders = new(StringComparer.Ordinal);

    public static string NewKey() => "rk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public void Register(string keyHash, KeyHolder holder) => _holders[keyHash] = holder;

    public KeyHolder? Find(string key) => key.Length is 0 or > 256 ? null : _holders.GetValueOrDefault(Hash(key));
}
