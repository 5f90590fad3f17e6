using Registry.Hashing;
using Registry.Signatures;

namespace Registry.Tests.Infrastructure;

/// <summary>Ed25519 keys for accounts that tests admit to the contract themselves.</summary>
public static class SigningKeys
{
    /// <summary>The public key of a new, random Ed25519 key, as the contract binds it.</summary>
    public static Bytes32 NewPublicKey() => Bytes32.FromSpan(Ed25519Keys.Generate().PublicKey);
}
