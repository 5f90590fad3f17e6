using NSec.Cryptography;
using Registry.Signatures;

namespace Registry.Api.Verification;

/// <summary>
/// Ed25519 verification by libsodium (through NSec) for <c>POST /verify</c>, quicker than the managed
/// code the browser verifier has to use (docs/BENCHMARKS.md). A key reaches it only once its did:key
/// has resolved, which checks that the key is a point of the prime-order group; on such keys the two
/// agree on every signature a signer makes by RFC 8032, and libsodium also refuses signatures crafted
/// at its edges (a small-order R).
/// </summary>
public sealed class SodiumEd25519 : IEd25519Verifier
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    private SodiumEd25519()
    {
    }

    /// <summary>libsodium where its native library loads on this machine, else the managed code.</summary>
    public static IEd25519Verifier OrManaged()
    {
        try
        {
            var verifier = new SodiumEd25519();
            // A known signature must check, and a changed one must not, before the pipeline relies on it.
            var key = Ed25519Keys.FromPrivateKey(new byte[Ed25519Keys.PrivateKeyBytes]);
            var message = "libsodium self-check"u8.ToArray();
            var signature = Ed25519Keys.Sign(key, message);
            var tampered = (byte[])signature.Clone();
            tampered[0] ^= 1;
            return verifier.Verify(key.PublicKey, message, signature) && !verifier.Verify(key.PublicKey, message, tampered)
                ? verifier
                : Ed25519Keys.Managed;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or PlatformNotSupportedException or InvalidOperationException)
        {
            return Ed25519Keys.Managed;
        }
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        publicKey.Length == Ed25519Keys.PublicKeyBytes && signature.Length == Ed25519Keys.SignatureBytes
        && PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out var key)
        && Algorithm.Verify(key!, message, signature);
}
