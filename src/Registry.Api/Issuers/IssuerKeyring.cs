using System.Collections.Concurrent;
using System.Security.Cryptography;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;
using Registry.Api.Storage;

namespace Registry.Api.Issuers;

/// <summary>
/// Issuer account keys, encrypted at rest as Web3 Secret Storage (version 3) keystores with
/// REGISTRY_KEYSTORE_PASSWORD, so an operator can take a key out with geth, ethers or Foundry.
/// Decrypting takes about a second, so each key is decrypted once and kept in memory.
/// </summary>
public sealed class IssuerKeyring(RegistryOptions options, ILogger<IssuerKeyring> logger)
{
    /// <summary>
    /// The standard scrypt parameters (geth's, ethers'): N = 2^18, r = 8, p = 1, 256 MiB of memory for a
    /// second. Keystores written before with r = 1, p = 8 are still read (a keystore names its parameters),
    /// but RFC 7914 requires N &lt; 2^(16 r), which they break, and OpenSSL-based tools refuse them.
    /// </summary>
    public static ScryptParams StandardScrypt => new() { Dklen = 32, N = 1 << 18, R = 8, P = 1 };

    private const string PasswordFile = "keystore.password";
    private readonly KeyStoreScryptService _keystores = new();
    private readonly ConcurrentDictionary<string, Lazy<string>> _keys = new(StringComparer.Ordinal);
    private readonly Lazy<string> _password = new(() => LoadPassword(options, logger));

    /// <summary>A new account: its private key (hex) and its keystore.</summary>
    public (string PrivateKey, string Address, string Keystore) Create()
    {
        var key = Nethereum.Signer.EthECKey.GenerateKey();
        var privateKey = key.GetPrivateKey();
        var address = key.GetPublicAddress().ToLowerInvariant();
        var keystore = _keystores.EncryptAndGenerateKeyStoreAsJson(_password.Value, key.GetPrivateKeyAsBytes(), address, StandardScrypt);
        return (privateKey, address, keystore);
    }

    public void Remember(string issuerId, string privateKey) => _keys[issuerId] = new Lazy<string>(privateKey);

    /// <summary>The issuer's private key, decrypting its keystore on first use.</summary>
    public string PrivateKeyOf(IssuerEntity issuer) => _keys.GetOrAdd(issuer.Id, _ => new Lazy<string>(() =>
        "0x" + Convert.ToHexStringLower(_keystores.DecryptKeyStoreFromJson(_password.Value, issuer.Keystore)))).Value;

    private static string LoadPassword(RegistryOptions options, ILogger logger)
    {
        if (options.KeystorePassword is { } configured) return configured;
        var path = Path.Combine(options.DataDir, PasswordFile);
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        logger.LogWarning("REGISTRY_KEYSTORE_PASSWORD is not set: generated one into {Path}. Set it explicitly for any real deployment", path);
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Directory.CreateDirectory(options.DataDir);
        File.WriteAllText(path, password);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return password;
    }
}
