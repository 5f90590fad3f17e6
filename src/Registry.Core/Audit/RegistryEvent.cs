namespace Registry.Audit;

/// <summary>The kinds of state change the contract records as events.</summary>
public static class RegistryEventTypes
{
    public const string IssuerAdded = "IssuerAdded";
    public const string IssuerRemoved = "IssuerRemoved";
    public const string Anchored = "Anchored";
    public const string Revoked = "Revoked";
}

/// <summary>
/// One decoded event of the CredentialRegistry contract, with where and when it happened. Fields that
/// an event type does not carry are null. <c>SigningKey</c> is <c>IssuerAdded</c>'s Ed25519 public key
/// (0x-prefixed hex), and <c>DidKey</c> its <c>did:key</c>.
/// </summary>
public sealed record RegistryEvent(
    string Type,
    long BlockNumber,
    long LogIndex,
    string TransactionHash,
    DateTimeOffset Timestamp,
    string Issuer,
    string? Name = null,
    string? Root = null,
    uint? Count = null,
    string? Digest = null,
    string? Reason = null,
    DateTimeOffset? TrustedUntil = null,
    string? BlockHash = null,
    string? SigningKey = null)
{
    public string? DidKey => SigningKey is null ? null : Signatures.DidKey.For(Hashing.Bytes32.Parse(SigningKey).ToArray());
}
