namespace Registry.Api.Storage;

/// <summary>The anchoring lease as one instance holds it: who, and the fencing token it was granted with.</summary>
public sealed record AnchoringLease(string Holder, long Token);

/// <summary>
/// The lease that makes one instance the anchoring one. It is granted for a term and renewed before the
/// term ends; an instance that stops renewing (killed, cut off from the database) loses it when the term
/// ends, and another takes it with a greater token. Writes of the anchoring loop carry the token
/// (<see cref="IBatchStore.Update(BatchEntity, AnchoringLease)"/>) and are refused once it is stale, so a
/// deposed instance that still runs cannot store, and so cannot send, anything more.
/// </summary>
public interface IAnchoringLeases
{
    /// <summary>
    /// Renews <paramref name="held"/> when it is still the live lease, else takes the lease when no live
    /// lease exists; returns the lease now held by <paramref name="holder"/>, or null while another holds it.
    /// </summary>
    AnchoringLease? TakeOrRenew(string holder, AnchoringLease? held, TimeSpan term);

    /// <summary>Ends <paramref name="lease"/> at once (a stopping instance), so that another takes over without waiting for its term.</summary>
    void Release(AnchoringLease lease);

    /// <summary>The live lease, whoever holds it; null when none is live.</summary>
    AnchoringLease? Live();
}

/// <summary>The anchoring lease is no longer the one a write carried: another instance anchors now.</summary>
public sealed class LeaseLostException(AnchoringLease lease)
    : Exception($"The anchoring lease of token {lease.Token} is no longer live: another instance anchors now, and this write was refused.");

/// <summary>
/// Locks on chain accounts held across every instance that shares the store: an account sends one
/// transaction at a time, so that no two instances read the same nonce for it.
/// </summary>
public interface IAccountLocks
{
    /// <summary>Waits until this instance alone holds <paramref name="account"/>'s lock; disposing the answer releases it.</summary>
    Task<IAsyncDisposable> HoldAsync(string account, CancellationToken cancellationToken);
}

/// <summary>
/// The data folder's lease and locks: one process opens a data folder, so it always anchors and its own
/// per-account serialisation (<see cref="Issuers.IssuerAccounts"/>) is all there is to lock.
/// </summary>
internal sealed class SoleInstance : IAnchoringLeases, IAccountLocks
{
    private static readonly AnchoringLease Always = new("this process", 1);

    public AnchoringLease TakeOrRenew(string holder, AnchoringLease? held, TimeSpan term) => Always;

    public void Release(AnchoringLease lease) { }

    public AnchoringLease Live() => Always;

    public Task<IAsyncDisposable> HoldAsync(string account, CancellationToken cancellationToken) => Task.FromResult<IAsyncDisposable>(Nothing.Held);

    private sealed class Nothing : IAsyncDisposable
    {
        public static readonly Nothing Held = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
