using System.Buffers;
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
        var length = 32 + canonicalCredential.Length;
        var rented = length <= 4096 ? null : ArrayPool<byte>.Shared.Rent(length);
        var buffer = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        salt.WriteTo(buffer[..32]);
        canonicalCredential.CopyTo(buffer[32..]);
        var digest = Keccak256.Hash(buffer);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return digest;
    }

    public static Bytes32 NewSalt()
    {
        Span<byte> salt = stackalloc byte[32];
        RandomNumberGenerator.Fill(salt);
        return Bytes32.FromSpan(salt);
    }
}
