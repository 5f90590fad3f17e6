using Registry.Audit;
using Registry.Verification;

namespace Registry.Api.Storage;

/// <summary>What the chain follower read of one contract: its events, and the block it read to.</summary>
public sealed record FollowedChain(ChainPoint Cursor, IReadOnlyList<RegistryEvent> Events);

/// <summary>
/// The chain index's events and cursor, what the index is rebuilt from after a restart. Events and the
/// cursor move together: each operation stores both or neither.
/// </summary>
public interface IChainEventStore
{
    /// <summary>What an earlier run read of <paramref name="contract"/>, events in chain order; null when nothing (events of another contract, a reset local chain's, are dropped).</summary>
    FollowedChain? Resume(string contract);

    /// <summary>Adds the events of the blocks read and moves the cursor to <paramref name="end"/>.</summary>
    void Append(string contract, IReadOnlyList<RegistryEvent> events, ChainPoint end);

    /// <summary>Forgets every event after <paramref name="ancestor"/>'s block and moves the cursor back to it (null: to before the first block).</summary>
    void RollBack(string contract, ChainPoint? ancestor);
}
