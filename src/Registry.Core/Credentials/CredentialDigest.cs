using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Registry.Canonical;
using Registry.Hashing;

namespace Registry.Credentials;

/// <summary>digest = keccak256(salt ‖ JCS(credential without proof)).</summary>
public static class CredentialDigest
{
    public static Bytes32 Compute(Bytes32 salt, JsonObject credentialWithoutProof) =>
        Compute(salt, Jcs.Canonicalize(credentialWithoutProof));

    public static Bytes32 Compute(Bytes32 salt, ReadOnlySpan<byte> canonicalCredential)
    {
        var buffer = canonicalCredential.Length <= 4096 ? stackalloc byte[32 + canonicalCredential.Length] : new byte[32 + canonicalCredential.Length];
        salt.WriteTo(buffer[..32]);
        canonicalCredential.CopyTo(buffer[32..]);
        return Keccak256.Hash(buffer);
    }

    public static Bytes32 NewSalt()
    {
        Span<byte> salt = stackalloc byte[32];
        RandomNumberGenerator.Fill(salt);
        return Bytes32.FromSpan(salt);
    }
}
