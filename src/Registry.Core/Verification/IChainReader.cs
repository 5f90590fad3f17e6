using Registry.Hashing;
using Registry.Signatures;

namespace Registry.Verification;

/// <summary>What the contract records about one issuer's anchor of a root.</summary>
public sealed record AnchorRecord(DateTimeOffset AnchoredAt, uint Count);

/// <summary>
/// What the contract records about an issuer account, with the Ed25519 public key bound to it for life
/// (version 3); <c>DidKey</c> is that key's <c>did:key</c>.
/// </summary>
public sealed record IssuerRecord(string Name, DateTimeOffset AddedAt, DateTimeOffset? RemovedAt, DateTimeOffset? TrustedUntil, Bytes32 SigningKey)
{
    public string DidKey => Signatures.DidKey.For(SigningKey.ToArray());

    /// <summary>True when an anchor made at <paramref name="moment"/> is trusted: admitted by then and, if removed, no later than trustedUntil.</summary>
    public bool TrustedAt(DateTimeOffset moment) => AddedAt <= moment && (RemovedAt is null || moment <= TrustedUntil);
}

/// <summary>A block: the point of the chain an answer is true as of.</summary>
public sealed record ChainPoint(long Number, string Hash, DateTimeOffset Time);

/// <summary>
/// The contract's one-call answer for a credential: did the issuer anchor the root, is the digest in
/// it, was the issuer trusted when it anchored, has the issuer revoked the digest, and which Ed25519
/// key is bound to the issuer (zero when the account was never admitted). <c>AsOf</c> is
/// the block the answer is true as of, where known. <c>RevocationUnconfirmed</c> is true when the
/// answer comes from an index too far behind the chain while the chain itself could not be asked:
/// the anchor stands, but whether it was revoked since is not known.
/// </summary>
public sealed record ChainVerdict(
    bool Included, DateTimeOffset? AnchoredAt, uint Count, bool IssuerTrusted, DateTimeOffset? RevokedAt, Bytes32 SigningKey,
    ChainPoint? AsOf = null, bool RevocationUnconfirmed = false);

/// <summary>An anchoring transaction as its receipt shows it: where it was mined and which (issuer, root) pairs it anchored.</summary>
public sealed record AnchoringReceipt(string TransactionHash, long BlockNumber, IReadOnlyList<(string Issuer, Bytes32 Root)> Anchors)
{
    public bool Anchored(string issuer, Bytes32 root) =>
        Anchors.Any(a => a.Root == root && string.Equals(a.Issuer, issuer, StringComparison.OrdinalIgnoreCase));
}

/// <summary>An issuer's revocation of a digest: when, in which block, and the reason its event gives.</summary>
public sealed record RevocationRecord(DateTimeOffset RevokedAt, long BlockNumber, string? Reason);

/// <summary>Read access to one deployed CredentialRegistry contract (version 3) through one RPC endpoint.</summary>
public interface IChainReader
{
    /// <summary>The chain id the RPC endpoint serves.</summary>
    Task<long> GetChainIdAsync(CancellationToken cancellationToken = default);

    /// <summary>The contract's <c>verify(issuer, root, digest, proof)</c>: everything a verifier asks, in one call.</summary>
    Task<ChainVerdict> VerifyAsync(string issuer, Bytes32 root, Bytes32 digest, IReadOnlyList<Bytes32> proof, CancellationToken cancellationToken = default);

    /// <summary>The receipt of <paramref name="transactionHash"/> with the contract's Anchored events in it; null when no such transaction was mined.</summary>
    Task<AnchoringReceipt?> GetAnchoringReceiptAsync(string transactionHash, CancellationToken cancellationToken = default);

    /// <summary><paramref name="issuer"/>'s anchor of <paramref name="root"/>, or null when it did not anchor it.</summary>
    Task<AnchorRecord?> GetAnchorAsync(string issuer, Bytes32 root, CancellationToken cancellationToken = default);

    /// <summary>The issuer record of <paramref name="issuer"/>, or null when it was never admitted.</summary>
    Task<IssuerRecord?> GetIssuerAsync(string issuer, CancellationToken cancellationToken = default);

    /// <summary>
    /// <paramref name="issuer"/>'s revocation of <paramref name="digest"/>, with the reason read from the
    /// one block that <c>revocationOf</c> names; null when the issuer has not revoked it.
    /// </summary>
    Task<RevocationRecord?> GetRevocationAsync(string issuer, Bytes32 digest, CancellationToken cancellationToken = default);
}

/// <summary>
/// The registries a verifier trusts, each with the means to read it. When entries repeat (the same
/// contract on the same chain), the later entry wins: a node the user gives replaces the one a host published.
/// </summary>
public interface ITrustedRegistries
{
    /// <summary>A reader for the contract at <paramref name="contract"/> on <paramref name="chainId"/>, or null when it is not trusted.</summary>
    IChainReader? Find(long chainId, string contract);

    /// <summary>The trusted registries, for messages.</summary>
    IReadOnlyList<TrustedRegistry> Trusted { get; }
}

/// <summary>A reader for a registry that is trusted but cannot be read now: every call says why.</summary>
public sealed class UnavailableChainReader(UncheckedReason reason, string message) : IChainReader
{
    private NodeUnavailableException Unavailable() => new(reason, message);
    public Task<long> GetChainIdAsync(CancellationToken cancellationToken = default) => throw Unavailable();
    public Task<ChainVerdict> VerifyAsync(string issuer, Bytes32 root, Bytes32 digest, IReadOnlyList<Bytes32> proof, CancellationToken cancellationToken = default) => throw Unavailable();
    public Task<AnchoringReceipt?> GetAnchoringReceiptAsync(string transactionHash, CancellationToken cancellationToken = default) => throw Unavailable();
    public Task<AnchorRecord?> GetAnchorAsync(string issuer, Bytes32 root, CancellationToken cancellationToken = default) => throw Unavailable();
    public Task<IssuerRecord?> GetIssuerAsync(string issuer, CancellationToken cancellationToken = default) => throw Unavailable();
    public Task<RevocationRecord?> GetRevocationAsync(string issuer, Bytes32 digest, CancellationToken cancellationToken = default) => throw Unavailable();
}
