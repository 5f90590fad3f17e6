using Registry.Hashing;

namespace Registry.Verification;

/// <summary>What the contract records about an anchored root.</summary>
public sealed record AnchorRecord(string Issuer, DateTimeOffset AnchoredAt, uint Count);

/// <summary>What the contract records about an issuer account.</summary>
public sealed record IssuerRecord(string Name, DateTimeOffset AddedAt, DateTimeOffset? RemovedAt)
{
    /// <summary>True when the account was admitted and not yet removed at <paramref name="moment"/>.</summary>
    public bool WasActiveAt(DateTimeOffset moment) => AddedAt <= moment && (RemovedAt is null || moment <= RemovedAt);
}

/// <summary>A revocation found on chain; the reason and the revoking account come from the contract's event.</summary>
public sealed record RevocationRecord(DateTimeOffset RevokedAt, string? Reason, string? Revoker);

/// <summary>Read access to one deployed CredentialRegistry contract.</summary>
public interface IChainReader
{
    /// <summary>The anchor of <paramref name="root"/>, or null when the contract never saw it.</summary>
    Task<AnchorRecord?> GetAnchorAsync(Bytes32 root, CancellationToken cancellationToken = default);

    /// <summary>The issuer record of <paramref name="address"/>, or null when it was never admitted.</summary>
    Task<IssuerRecord?> GetIssuerAsync(string address, CancellationToken cancellationToken = default);

    /// <summary>The revocation of <paramref name="digest"/>, or null when it is not revoked.</summary>
    Task<RevocationRecord?> GetRevocationAsync(Bytes32 digest, CancellationToken cancellationToken = default);
}

/// <summary>The registries a verifier trusts, each with the means to read it.</summary>
public interface ITrustedRegistries
{
    /// <summary>A reader for the contract at <paramref name="contract"/> on <paramref name="chainId"/>, or null when it is not trusted.</summary>
    IChainReader? Find(long chainId, string contract);

    /// <summary>The trusted (chain id, contract) pairs, for messages.</summary>
    IReadOnlyList<RegistryAddress> Trusted { get; }
}

/// <summary>A contract on a chain.</summary>
public sealed record RegistryAddress(long ChainId, string Contract)
{
    public override string ToString() => $"{ChainId}:{Contract}";
}
