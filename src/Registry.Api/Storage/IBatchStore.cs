using Registry.Hashing;

namespace Registry.Api.Storage;

/// <summary>
/// Batches and their members. Sealing stores the members and the batch's row in one operation: after a
/// crash the batch exists with all its members, or not at all and its credentials are still pending.
/// </summary>
public interface IBatchStore
{
    /// <summary>The batch of an id as a request gives it; null for none, or for an id not in the form the registry writes.</summary>
    BatchEntity? Find(string id);

    /// <summary>Every batch still on its way to the chain: sealed or submitted.</summary>
    IReadOnlyList<BatchEntity> Unfinished();

    /// <summary>Batches, newest sealed first, of one issuer or (null) of all.</summary>
    IReadOnlyList<BatchEntity> Page(string? issuerId, int skip, int limit);

    /// <summary>Stores the batch's changed state (its transactions, confirmations, errors).</summary>
    void Update(BatchEntity batch);

    /// <summary>
    /// Stores the batch's changed state as the anchoring loop does: only while <paramref name="lease"/> is the
    /// live anchoring lease, checked in the same operation.
    /// </summary>
    /// <exception cref="LeaseLostException">Another instance anchors now; nothing was stored.</exception>
    void Update(BatchEntity batch, AnchoringLease lease);

    /// <summary>
    /// Seals <paramref name="members"/> (chosen by <see cref="ICredentialStore.SelectPending"/>) into
    /// <paramref name="batch"/>: its members and its row, in one operation. A batch of the same id (the
    /// same issuer and members, sealed again after a failure) is replaced.
    /// </summary>
    /// <exception cref="SealConflictException">A member is no longer pending (another instance sealed it first); nothing was stored.</exception>
    void Seal(BatchEntity batch, PendingSelection members);

    /// <summary>Marks a failed batch resealed and returns its members to their issuer's pending credentials, in one operation.</summary>
    void Reopen(BatchEntity failed);

    /// <summary>The ids of a batch's members, in tree order.</summary>
    IReadOnlyList<string> MembersOf(BatchEntity batch);

    /// <summary>A batch's members as sealed, in tree order: each one's id and the digest that went into the tree.</summary>
    IReadOnlyList<(string Id, Bytes32 Digest)> SealedMembersOf(BatchEntity batch);

    /// <summary>A batch's members' digests, in the order its tree was built from.</summary>
    Bytes32[] DigestsOf(BatchEntity batch);
}

/// <summary>A credential chosen for a batch was sealed into another one first; the seal stored nothing, and can be chosen again.</summary>
public sealed class SealConflictException(string message) : InvalidOperationException(message);
