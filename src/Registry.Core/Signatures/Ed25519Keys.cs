using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Registry.Signatures;

/// <summary>
/// An Ed25519 key pair: the 32-byte private key (RFC 8032's seed) and the 32-byte public key.
/// <see cref="ToString"/> shows the public key only.
/// </summary>
public sealed class Ed25519KeyPair
{
    internal Ed25519KeyPair(byte[] privateKey, byte[] publicKey)
    {
        PrivateKey = privateKey;
        PublicKey = publicKey;
    }

    public byte[] PrivateKey { get; }

    public byte[] PublicKey { get; }

    public override string ToString() => $"Ed25519 key {Multikey.EncodePublicKey(PublicKey)}";
}

/// <summary>
/// Checks Ed25519 signatures (RFC 8032, pure). <see cref="Ed25519Keys.Managed"/> runs anywhere, WebAssembly
/// included; a server may give the verification pipeline a native one instead (the API uses libsodium).
/// </summary>
public interface IEd25519Verifier
{
    /// <summary>True when <paramref name="signature"/> is a valid signature of <paramref name="message"/> by <paramref name="publicKey"/>.</summary>
    bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);
}

/// <summary>
/// Ed25519 (RFC 8032, pure) with BouncyCastle's managed code, so that the same signatures are made
/// and checked on a server and in WebAssembly. Signing is deterministic.
/// </summary>
public static class Ed25519Keys
{
    public const int PrivateKeyBytes = 32;
    public const int PublicKeyBytes = 32;
    public const int SignatureBytes = 64;

    static Ed25519Keys() => Ed25519.Precompute();

    /// <summary>The managed verification, <see cref="Verify"/>, for those that take an <see cref="IEd25519Verifier"/>.</summary>
    public static IEd25519Verifier Managed { get; } = new ManagedVerifier();

    private sealed class ManagedVerifier : IEd25519Verifier
    {
        public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
            Ed25519Keys.Verify(publicKey, message, signature);
    }

    public static Ed25519KeyPair Generate()
    {
        var privateKey = new byte[PrivateKeyBytes];
        RandomNumberGenerator.Fill(privateKey);
        return FromPrivateKey(privateKey);
    }

    public static Ed25519KeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != PrivateKeyBytes)
            throw new ArgumentException($"An Ed25519 private key has {PrivateKeyBytes} bytes, not {privateKey.Length}.", nameof(privateKey));
        var secret = privateKey.ToArray();
        var publicKey = new byte[PublicKeyBytes];
        Ed25519.GeneratePublicKey(secret, 0, publicKey, 0);
        return new Ed25519KeyPair(secret, publicKey);
    }

    public static byte[] Sign(Ed25519KeyPair key, ReadOnlySpan<byte> message)
    {
        var signature = new byte[SignatureBytes];
        var bytes = message.ToArray();
        // Passing the public key spares the scalar multiplication that would derive it again.
        Ed25519.Sign(key.PrivateKey, 0, key.PublicKey, 0, bytes, 0, bytes.Length, signature, 0);
        return signature;
    }

    /// <summary>True when <paramref name="signature"/> is a valid signature of <paramref name="message"/> by <paramref name="publicKey"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeyBytes || signature.Length != SignatureBytes)
            return false;
        var bytes = message.ToArray();
        return Ed25519.Verify(signature.ToArray(), 0, publicKey.ToArray(), 0, bytes, 0, bytes.Length);
    }

    /// <summary>True when <paramref name="publicKey"/> is the encoding of a point of the curve's prime-order group.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) =>
        publicKey.Length == PublicKeyBytes && Ed25519.ValidatePublicKeyFull(publicKey.ToArray(), 0);
}
