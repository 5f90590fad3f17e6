using Registry.Api.Anchoring;
using Registry.Api.Storage;
using Registry.Audit;
using Registry.Chain;
using Registry.Index;
using Registry.Verification;

namespace Registry.Api.Index;

/// <summary>
/// Follows the registry's contract block by block: reads its events in bounded ranges, stores them with
/// their blocks' hashes, and applies them to the <see cref="ChainIndex"/> that verification and audit
/// answer from. Before each step it checks that the last block it read is still the chain's block of
/// that number; if not, the chain was reorganised, and it rolls back to the newest block it knows that
/// still matches, then reads forward again. It resumes from the store after a restart.
/// </summary>
public sealed class ChainFollower(
    RegistryChain chain, IChainEventStore eventStore, RegistryOptions options, TimeProvider clock, ILogger<ChainFollower> logger) : BackgroundService
{
    private const int MaxRange = 10_000;
    private const int MinRange = 16;
    private const int RecentPoints = 256;

    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<ChainPoint> _recent = [];
    private int _range = MaxRange;
    private string? _contract;
    private (long Head, DateTimeOffset At)? _synced;

    public ChainIndex Index { get; } = new();

    /// <summary>True when the index had read to the node's head within REGISTRY_MAX_STALENESS_SECONDS.</summary>
    public bool IsFresh => _synced is { } synced && clock.GetUtcNow() - synced.At <= options.MaxStaleness && Index.Cursor?.Number >= synced.Head;

    /// <summary>The contract the index follows, once it has started.</summary>
    public string? Contract => _contract;

    /// <summary>Asks the follower to look at the chain now.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    /// <summary>Waits (a little) until the index has read block <paramref name="blockNumber"/>: after the registry's own transactions.</summary>
    public async Task CatchUpAsync(long blockNumber, TimeSpan timeout)
    {
        var deadline = clock.GetUtcNow() + timeout;
        while (Index.Cursor?.Number < blockNumber || Index.Cursor is null)
        {
            if (clock.GetUtcNow() > deadline) return;
            Wake();
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Waits (a little) until the index has read to the node's current head, for answers that should
    /// include what just happened; when the node cannot say, answers stay as of the index's block.
    /// </summary>
    public async Task CatchUpToHeadAsync(TimeSpan timeout)
    {
        long head;
        try
        {
            head = await chain.Connection.GetBlockNumberAsync().WaitAsync(timeout);
        }
        catch (Exception e) when (e is TimeoutException || ChainConnection.IsUnreachable(e))
        {
            return;
        }
        await CatchUpAsync(head, timeout);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(250);
        var backoff = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            var caughtUp = true;
            try
            {
                var state = await chain.GetAsync(stoppingToken);
                if (state.ChainId != DevelopmentChain.ChainId) poll = TimeSpan.FromSeconds(1);
                if (_contract != state.Contract) Load(state.Contract);
                caughtUp = await StepAsync(state, stoppingToken);
                backoff = TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (ChainReorganizedException e)
            {
                logger.LogInformation("Following the chain: {Message} Reading again", e.Message);
                caughtUp = false;
            }
            catch (Nethereum.JsonRpc.Client.RpcResponseException e) when (_range > MinRange)
            {
                // Providers bound eth_getLogs by blocks or by results: a smaller range may pass.
                _range = Math.Max(MinRange, _range / 4);
                logger.LogWarning("Following the chain: {Message} Reading {Range} blocks at a time", e.Message, _range);
                caughtUp = false;
            }
            catch (Exception e)
            {
                backoff = Backoff.After(backoff);
                logger.LogWarning("Following the chain paused for {Backoff}: {Message}", backoff, e.Message);
            }
            if (caughtUp)
            {
                try
                {
                    await _wake.WaitAsync(backoff > poll ? backoff : poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Checks the last block read, then reads the next range; true when the index has reached the head.</summary>
    private async Task<bool> StepAsync(ChainState state, CancellationToken cancellationToken)
    {
        var head = await chain.Connection.GetBlockAsync() ?? throw new InvalidOperationException("The node has no latest block.");
        // The follower sees every head: /health learns from it whether the chain still moves.
        chain.ObserveHead(head.Number, clock.GetUtcNow());
        if (Index.Cursor is { } cursor)
        {
            var now = cursor.Number <= head.Number ? await chain.Connection.GetBlockAsync(cursor.Number) : null;
            if (now?.Hash != cursor.Hash)
            {
                await RollBackAsync(head);
                return false;
            }
        }
        var from = (Index.Cursor?.Number ?? chain.FirstBlockOf(state.Contract) - 1) + 1;
        if (from > head.Number)
        {
            _synced = (head.Number, clock.GetUtcNow());
            return true;
        }
        var to = Math.Min(head.Number, from + _range - 1);
        var events = await new RegistryEventLog(chain.Connection, state.Contract).ReadAsync(from, to);
        var end = to == head.Number ? head : await chain.Connection.GetBlockAsync(to) ?? throw new ChainReorganizedException(to);
        Store(events, end);
        Index.Apply(events, end);
        Remember(end);
        if (events.Count > 0) logger.LogDebug("Indexed {Count} events of blocks {From} to {To}", events.Count, from, to);
        if (to < head.Number) return false;
        _synced = (head.Number, clock.GetUtcNow());
        return true;
    }

    /// <summary>Finds the newest block the index knows that the chain still has, and forgets everything after it.</summary>
    private async Task RollBackAsync(ChainPoint head)
    {
        ChainPoint? ancestor = null;
        var candidates = _recent.Concat(Index.EventBlocks()).Where(p => p.Number <= head.Number)
            .GroupBy(p => p.Number).Select(g => g.First()).OrderByDescending(p => p.Number);
        foreach (var candidate in candidates)
        {
            if ((await chain.Connection.GetBlockAsync(candidate.Number))?.Hash == candidate.Hash)
            {
                ancestor = candidate;
                break;
            }
        }
        logger.LogWarning("The chain was reorganised after block {Ancestor}; the index rolls back from block {Cursor} and reads forward again",
            ancestor?.Number, Index.Cursor?.Number);
        var after = ancestor?.Number ?? -1;
        eventStore.RollBack(_contract!, ancestor);
        Index.RollBackTo(ancestor);
        _recent.RemoveAll(p => p.Number > after);
        _synced = null;
    }

    /// <summary>Loads what an earlier run stored for <paramref name="contract"/>; another contract's events (a reset local chain) are dropped.</summary>
    private void Load(string contract)
    {
        var resumed = eventStore.Resume(contract);
        Index.RollBackTo(null);
        _recent.Clear();
        if (resumed is not null)
        {
            Index.Apply(resumed.Events, resumed.Cursor);
            _recent.Add(resumed.Cursor);
        }
        _contract = contract;
        _synced = null;
        if (resumed is not null) logger.LogInformation("Chain index resumed at block {Block} with {Count} events", resumed.Cursor.Number, resumed.Events.Count);
    }

    private void Store(IReadOnlyList<RegistryEvent> read, ChainPoint end) => eventStore.Append(_contract!, read, end);

    private void Remember(ChainPoint point)
    {
        _recent.Add(point);
        if (_recent.Count > RecentPoints) _recent.RemoveAt(0);
    }
}

/// <summary>The chain index has read nothing yet (the node was not reached since the registry started): an answer from it would be empty, not true.</summary>
public sealed class ChainIndexNotReadyException() : Exception("The registry has not read the chain yet; it answers once the node can be reached.");
