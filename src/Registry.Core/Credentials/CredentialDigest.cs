using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Registry.Canonical;
using Registry.Hashing;

namespace Registry.Credentials;

/// <summary>digest = keccak256(salt ‖ JCS(credential without proof)).</summary>
public static class CredentialDigest
{
    /// <summary>The digest of a credential, hashed where its canonical form is written; throws <see cref="JcsException"/> when it has none.</summary>
    public static Bytes32 Compute(Bytes32 salt, JsonObject credentialWithoutProof) =>
        Jcs.Canonicalize(credentialWithoutProof, canonical => Compute(salt, canonical));

    public static Bytes32 Compute(Bytes32 salt, ReadOnlySpan<byte> canonicalCredential)
    {
        Span<byte> saltBytes = stackalloc byte[Bytes32.Length];
        salt.WriteTo(saltBytes);
        return Keccak256.HashConcatenated(saltBytes, canonicalCredential);
    }

    public static Bytes32 NewSalt()
    {
        Span<byte> salt = stackalloc byte[32];
        RandomNumberGenerator.Fill(salt);
        return Bytes32.FromSpan(salt);
    }
}
