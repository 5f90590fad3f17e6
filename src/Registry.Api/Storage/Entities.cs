namespace Registry.Api.Storage;

// Documents as LiteDB stores them. Hashes and addresses are 0x-prefixed lowercase hex strings.

public sealed class IssuerEntity
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Country { get; set; }
    public string? Url { get; set; }
    public string? Description { get; set; }
    public string Address { get; set; } = "";
    public string Did { get; set; } = "";
    /// <summary>The account's private key as a Web3 Secret Storage (scrypt) keystore.</summary>
    public string Keystore { get; set; } = "";
    /// <summary>The Ed25519 public key (0x-prefixed hex) the contract binds to the account; null for an issuer made before version 3 until it is admitted again.</summary>
    public string? SigningKey { get; set; }
    /// <summary>The Ed25519 seed, sealed with a key derived from the account's key (<see cref="Issuers.IssuerKeyring"/>).</summary>
    public string? SealedSigningKey { get; set; }
    public string ApiKeyHash { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? RemovedAt { get; set; }
    /// <summary>Set at removal: anchors after this moment are void (a plain removal: the moment of removal).</summary>
    public DateTime? TrustedUntil { get; set; }
    /// <summary>
    /// Null once the chain admitted the account (and for every issuer stored before this field).
    /// <see cref="IssuerAdmission.Pending"/> while its creation waits for the chain: the keys are stored
    /// before the account is admitted, so that a crash in between never loses the key of an admitted
    /// account. <see cref="IssuerAdmission.Failed"/> when the chain never admitted it.
    /// </summary>
    public string? Admission { get; set; }
}

/// <summary>Where an issuer's creation stands while the chain has not admitted its account (<see cref="IssuerEntity.Admission"/>).</summary>
public static class IssuerAdmission
{
    public const string Pending = "pending";
    public const string Failed = "failed";
}

public sealed class AuditorEntity
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string ApiKeyHash { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// A credential's revocation, the one piece of per-credential state that changes after issuance
/// (the credentials themselves are in <see cref="CredentialStore"/>). Its id is the credential's.
/// </summary>
public sealed class RevocationEntity
{
    public string Id { get; set; } = "";
    public string IssuerId { get; set; } = "";
    public string BatchId { get; set; } = "";
    public string Digest { get; set; } = "";
    public DateTime RevokedAt { get; set; }
    public string Reason { get; set; } = "";
    public string? Transaction { get; set; }
    /// <summary>The block of the revocation transaction.</summary>
    public long? Block { get; set; }
    /// <summary>True from the revocation's block until it has the configured confirmations: the credential shows <c>revoking</c>.</summary>
    public bool Pending { get; set; }
}

public static class BatchStates
{
    /// <summary>Root and members stored; no transaction sent yet.</summary>
    public const string Sealed = "sealed";
    /// <summary>Transaction sent, its hash stored; waiting to be mined and confirmed.</summary>
    public const string Submitted = "submitted";
    public const string Anchored = "anchored";
    /// <summary>The batch cannot be anchored (its issuer was removed, or every transaction failed); its reason is in LastError.</summary>
    public const string Failed = "failed";
    /// <summary>A failed batch whose credentials the issuer had sealed again, into another batch.</summary>
    public const string Resealed = "resealed";
}

public sealed class BatchEntity
{
    public string Id { get; set; } = "";
    public string IssuerId { get; set; } = "";
    public string State { get; set; } = BatchStates.Sealed;
    public string Root { get; set; } = "";
    public int Count { get; set; }
    /// <summary>Where the members' record is in <c>batches.log</c>: their ids and digests, in the order the tree was built from.</summary>
    public long MembersOffset { get; set; }
    public int MembersLength { get; set; }
    public DateTime SealedAt { get; set; }
    /// <summary>The transaction that anchors (or is meant to anchor) the batch: the latest sent, or the one mined.</summary>
    public string? TransactionHash { get; set; }
    /// <summary>Every transaction sent for the batch with <see cref="Nonce"/>: replacements share it, and any one of them may be the one mined.</summary>
    public List<string> TransactionHashes { get; set; } = [];
    public long? Nonce { get; set; }
    public long? Gas { get; set; }
    /// <summary>The fees of the latest transaction, in wei per gas (decimal strings).</summary>
    public string? MaxFeePerGas { get; set; }
    public string? MaxPriorityFeePerGas { get; set; }
    /// <summary>The chain's head when the latest transaction was sent: replaced once it waits too many blocks.</summary>
    public long? SentAtBlock { get; set; }
    /// <summary>Blocks on top of the mined block, while the batch waits for its confirmations.</summary>
    public int? Confirmations { get; set; }
    public int? ConfirmationsRequired { get; set; }
    /// <summary>Why the batch waits instead of sending (funds, fees); null once that has cleared.</summary>
    public string? Waiting { get; set; }
    /// <summary>The chain's head just before the first transaction was sent: where a lost hash is searched from.</summary>
    public long? FromBlock { get; set; }
    /// <summary>The chain and contract the batch was sent to (kept per batch: a reset local chain gets a new contract).</summary>
    public long? ChainId { get; set; }
    public string? Contract { get; set; }
    public long? BlockNumber { get; set; }
    public long? GasUsed { get; set; }
    public DateTime? AnchoredAt { get; set; }
    public int Attempts { get; set; }
    /// <summary>True when the issuer was removed as compromised and this batch was anchored after its key stopped being trusted.</summary>
    public bool Voided { get; set; }
    public string? LastError { get; set; }
}

/// <summary>Settings the registry chose itself and must remember: the contract it deployed.</summary>
public sealed class SettingEntity
{
    public string Id { get; set; } = "";
    public string Value { get; set; } = "";
}

/// <summary>A contract event as the chain follower stores it: ordered by its id, "block:logIndex" zero-padded.</summary>
public sealed class ChainEventEntity
{
    public string Id { get; set; } = "";
    public string Contract { get; set; } = "";
    public string Type { get; set; } = "";
    public long BlockNumber { get; set; }
    public string BlockHash { get; set; } = "";
    public long LogIndex { get; set; }
    public string TransactionHash { get; set; } = "";
    public DateTime Timestamp { get; set; }
    public string Issuer { get; set; } = "";
    public string? Name { get; set; }
    public string? Root { get; set; }
    public long? Count { get; set; }
    public string? Digest { get; set; }
    public string? Reason { get; set; }
    public DateTime? TrustedUntil { get; set; }
    public string? SigningKey { get; set; }

    public static string IdOf(long blockNumber, long logIndex) => $"{blockNumber:D12}:{logIndex:D6}";
}
