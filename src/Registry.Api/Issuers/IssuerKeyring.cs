using System.Collections.Concurrent;
using System.Security.Cryptography;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;
using Registry.Api.Storage;
using Registry.Hashing;
using Registry.Signatures;

namespace Registry.Api.Issuers;

/// <summary>
/// Issuer keys. The account key is encrypted at rest as a Web3 Secret Storage (version 3) keystore with
/// REGISTRY_KEYSTORE_PASSWORD, so an operator can take a key out with geth, ethers or Foundry.
/// Decrypting takes about a second, so each key is decrypted once and kept in memory. The Ed25519
/// signing key's seed is sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the account
/// key, with the account's address as associated data: it is as safe at rest as the account key, and
/// opening it costs no second scrypt.
/// </summary>
public sealed class IssuerKeyring(RegistryOptions options, ILogger<IssuerKeyring> logger)
{
    /// <summary>
    /// The standard scrypt parameters (geth's, ethers'): N = 2^18, r = 8, p = 1, 256 MiB of memory for a
    /// second. Keystores written before with r = 1, p = 8 are still read (a keystore names its parameters),
    /// but RFC 7914 requires N &lt; 2^(16 r), which they break, and OpenSSL-based tools refuse them.
    /// </summary>
    public static ScryptParams StandardScrypt => new() { Dklen = 32, N = 1 << 18, R = 8, P = 1 };

    /// <summary>
    /// geth's light scrypt parameters (its <c>--lightkdf</c>): N = 2^12, r = 8, p = 6, 4 MiB of memory and
    /// about a tenth of the standard work, for REGISTRY_LIGHT_KDF on the local chain only.
    /// </summary>
    public static ScryptParams LightScrypt => new() { Dklen = 32, N = 1 << 12, R = 8, P = 6 };

    private const string PasswordFile = "keystore.password";
    private readonly KeyStoreScryptService _keystores = new();
    private readonly ConcurrentDictionary<string, Lazy<string>> _keys = new(StringComparer.Ordinal);
    private readonly Lazy<string> _password = new(() => LoadPassword(options, logger));

    private const string SealFormat = "aes-256-gcm:";
    private static readonly byte[] SealInfo = "credential-registry issuer signing key seal v1"u8.ToArray();
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly ConcurrentDictionary<string, Lazy<Ed25519KeyPair>> _signingKeys = new(StringComparer.Ordinal);

    /// <summary>
    /// A new issuer's keys: the account's private key (hex), address and keystore, and the Ed25519 signing
    /// key with its private key sealed for storage.
    /// </summary>
    public NewIssuerKeys Create()
    {
        var key = Nethereum.Signer.EthECKey.GenerateKey();
        var privateKey = key.GetPrivateKey();
        var address = key.GetPublicAddress().ToLowerInvariant();
        var keystore = _keystores.EncryptAndGenerateKeyStoreAsJson(_password.Value, key.GetPrivateKeyAsBytes(), address,
            options.LightKdf ? LightScrypt : StandardScrypt);
        var (signingKey, sealedSeed) = NewSigningKey(privateKey, address);
        return new NewIssuerKeys(privateKey, address, keystore, signingKey, sealedSeed);
    }

    /// <summary>A new Ed25519 signing key for the account of <paramref name="privateKey"/>, and its private key sealed for storage.</summary>
    public static (Ed25519KeyPair Key, string SealedSeed) NewSigningKey(string privateKey, string address)
    {
        var key = Ed25519Keys.Generate();
        return (key, Seal(key.PrivateKey, privateKey, address));
    }

    /// <summary>Keeps a new issuer's keys in memory, so that they are not decrypted again in this run.</summary>
    public void Remember(string issuerId, string privateKey, Ed25519KeyPair signingKey)
    {
        _keys[issuerId] = new Lazy<string>(privateKey);
        _signingKeys[issuerId] = new Lazy<Ed25519KeyPair>(signingKey);
    }

    /// <summary>The issuer's private key, decrypting its keystore on first use.</summary>
    public string PrivateKeyOf(IssuerEntity issuer) => _keys.GetOrAdd(issuer.Id, _ => new Lazy<string>(() =>
        "0x" + Convert.ToHexStringLower(_keystores.DecryptKeyStoreFromJson(_password.Value, issuer.Keystore)))).Value;

    /// <summary>
    /// The issuer's Ed25519 signing key, opened on first use with its account key; throws when the
    /// issuer has none, or its sealed key was altered or belongs to another account.
    /// </summary>
    public Ed25519KeyPair SigningKeyOf(IssuerEntity issuer) => _signingKeys.GetOrAdd(issuer.Id, _ => new Lazy<Ed25519KeyPair>(() =>
    {
        if (issuer.SealedSigningKey is not { } sealedSeed)
            throw new InvalidOperationException($"Issuer {issuer.Id} has no signing key.");
        var key = Ed25519Keys.FromPrivateKey(Open(sealedSeed, PrivateKeyOf(issuer), issuer.Address));
        if (issuer.SigningKey is { } expected && Bytes32.FromSpan(key.PublicKey) != Bytes32.Parse(expected))
            throw new CryptographicException($"The signing key stored for issuer {issuer.Id} does not match its public key.");
        return key;
    })).Value;

    /// <summary>Signs <paramref name="message"/> with the issuer's Ed25519 key.</summary>
    public byte[] Sign(IssuerEntity issuer, ReadOnlySpan<byte> message) => Ed25519Keys.Sign(SigningKeyOf(issuer), message);

    private static string Seal(byte[] seed, string privateKey, string address)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var sealedSeed = new byte[seed.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(SealingKey(privateKey), TagBytes))
            aes.Encrypt(nonce, seed, sealedSeed, tag, AssociatedData(address));
        return SealFormat + Convert.ToBase64String([.. nonce, .. sealedSeed, .. tag]);
    }

    private static byte[] Open(string sealedText, string privateKey, string address)
    {
        if (!sealedText.StartsWith(SealFormat, StringComparison.Ordinal))
            throw new CryptographicException("The sealed signing key is not in a form this registry writes.");
        var bytes = Convert.FromBase64String(sealedText[SealFormat.Length..]);
        if (bytes.Length != NonceBytes + Ed25519Keys.PrivateKeyBytes + TagBytes)
            throw new CryptographicException("The sealed signing key has the wrong length.");
        var seed = new byte[Ed25519Keys.PrivateKeyBytes];
        using var aes = new AesGcm(SealingKey(privateKey), TagBytes);
        aes.Decrypt(bytes.AsSpan(0, NonceBytes), bytes.AsSpan(NonceBytes, seed.Length), bytes.AsSpan(NonceBytes + seed.Length), seed, AssociatedData(address));
        return seed;
    }

    private static byte[] SealingKey(string privateKey) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromHexString(privateKey.StartsWith("0x", StringComparison.Ordinal) ? privateKey[2..] : privateKey),
            32, info: SealInfo);

    private static byte[] AssociatedData(string address) => System.Text.Encoding.ASCII.GetBytes(address.ToLowerInvariant());

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

/// <summary>A new issuer's keys, as <see cref="IssuerKeyring.Create"/> makes them.</summary>
public sealed record NewIssuerKeys(string PrivateKey, string Address, string Keystore, Ed25519KeyPair SigningKey, string SealedSigningKey);
