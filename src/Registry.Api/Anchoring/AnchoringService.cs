using LiteDB;
using Registry.Api.Issuers;
using Registry.Api.Storage;
using Registry.Chain;
using Registry.Hashing;

namespace Registry.Api.Anchoring;

/// <summary>
/// Seals batches when they are full or old enough, and carries every unfinished batch to the chain:
/// send, wait for the receipt and the confirmations, then mark it anchored. All state lives in the
/// store, so a restart resumes where the last run stopped, and the contract's refusal of a root it
/// already has means no batch anchors twice.
/// </summary>
public sealed class AnchoringService(
    RegistryDatabase database,
    RegistryChain chain,
    BatchSealer sealer,
    PendingCredentials pending,
    IssuerAccounts accounts,
    RegistryOptions options,
    TimeProvider clock,
    ILogger<AnchoringService> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private const int MaxFailedTransactions = 5;

    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<string, (DateTime NotBefore, TimeSpan Wait)> _retries = new(StringComparer.Ordinal);

    /// <summary>Asks the loop to run now rather than at its next tick.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Sealing needs no chain: credentials keep moving into batches while the node is down.
                foreach (var issuerId in pending.Due(options.MaxBatchSize, options.MaxDelay, clock.GetUtcNow().UtcDateTime))
                    sealer.Seal(issuerId);

                var state = await chain.GetAsync(stoppingToken);
                foreach (var batch in database.Batches.Find(Query.In(nameof(BatchEntity.State), BatchStates.Sealed, BatchStates.Submitted)).ToList())
                    await AdvanceOrPostponeAsync(batch, state);
                backoff = TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                logger.LogWarning("Anchoring paused for {Backoff}: {Message}", backoff, e.Message);
            }
            try
            {
                await _wake.WaitAsync(backoff > Tick ? backoff : Tick, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Advances one batch; when that fails for a reason of its own (its account has no funds left,
    /// say), records why on the batch and retries it later with back-off, so other batches go on.
    /// A chain that cannot be reached pauses everything instead.
    /// </summary>
    private async Task AdvanceOrPostponeAsync(BatchEntity batch, ChainState state)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        _retries.TryGetValue(batch.Id, out var retry);
        if (retry.NotBefore > now) return;
        try
        {
            await AdvanceAsync(batch, state);
            _retries.Remove(batch.Id);
        }
        catch (Exception e) when (!IsUnreachable(e))
        {
            var wait = retry.Wait == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(retry.Wait.Ticks * 2, MaxBackoff.Ticks));
            _retries[batch.Id] = (now + wait, wait);
            batch.LastError = e.Message;
            Save(batch);
            logger.LogWarning("Batch {Batch}: {Message} Trying again in {Wait}", batch.Id, e.Message, wait);
        }
    }

    private static bool IsUnreachable(Exception e) =>
        e is TaskCanceledException or TimeoutException or ChainUnavailableException || ChainConnection.IsUnreachable(e);

    /// <summary>Moves one batch one step along sealed → submitted → anchored.</summary>
    private async Task AdvanceAsync(BatchEntity batch, ChainState state)
    {
        var root = Bytes32.Parse(batch.Root);
        var issuer = database.Issuers.FindById(batch.IssuerId);
        if (batch.State == BatchStates.Sealed)
        {
            var existing = await state.Reader.GetAnchorAsync(issuer.Address, root);
            if (existing is not null)
            {
                // Sent by an earlier run that stopped before storing the hash: recover it from the event.
                // Anchors are keyed by (issuer, root), so only this issuer's own anchor counts here.
                var found = await state.Reader.FindAnchoringAsync(issuer.Address, root, batch.FromBlock ?? 0)
                    ?? throw new InvalidOperationException($"Root {root} is anchored but its Anchored event was not found yet.");
                batch.TransactionHash = found.TransactionHash;
                batch.ChainId = state.ChainId;
                batch.Contract = state.Contract;
                batch.State = BatchStates.Submitted;
                Save(batch);
                return;
            }
            if (issuer.RemovedAt is not null)
            {
                Fail(batch, "The issuer was removed before the batch could be anchored.");
                return;
            }
            try
            {
                // Stored before sending: where to look for the transaction if the hash is lost in a crash.
                batch.ChainId = state.ChainId;
                batch.Contract = state.Contract;
                batch.FromBlock ??= await chain.Connection.GetBlockNumberAsync();
                Save(batch);
                batch.TransactionHash = await accounts.SendAsync(issuer, state, writer => writer.SendAnchorAsync(root, (uint)batch.Count));
                batch.State = BatchStates.Submitted;
                batch.Attempts++;
                Save(batch);
                logger.LogInformation("Batch {Batch} of {Count}: sent anchor({Root}) in {Transaction}", batch.Id, batch.Count, root, batch.TransactionHash);
            }
            catch (ContractRevertedException e) when (e.ErrorName is "IssuerNotActive" or "UnknownIssuer")
            {
                Fail(batch, e.Message);
            }
            return;
        }

        var mined = await chain.Connection.GetMinedAsync(batch.TransactionHash!);
        if (mined is null)
        {
            if (!await chain.Connection.IsKnownAsync(batch.TransactionHash!))
                Resend(batch, "The transaction was dropped by the node.");
            return;
        }
        if (!mined.Succeeded)
        {
            Resend(batch, $"Transaction {mined.Hash} failed.");
            return;
        }
        if (await chain.Connection.GetBlockNumberAsync() < mined.BlockNumber + state.Confirmations) return;

        var anchor = await state.Reader.GetAnchorAsync(issuer.Address, root);
        if (anchor is null)
        {
            Resend(batch, "The anchoring block was undone by a reorganisation.");
            return;
        }
        batch.State = BatchStates.Anchored;
        batch.BlockNumber = mined.BlockNumber;
        batch.GasUsed = mined.GasUsed;
        batch.AnchoredAt = anchor.AnchoredAt.UtcDateTime;
        // Mined after its issuer was removed as compromised: on record, but void.
        batch.Voided = issuer.TrustedUntil is { } trustedUntil && batch.AnchoredAt > trustedUntil;
        batch.ChainId ??= state.ChainId;
        batch.Contract ??= state.Contract;
        batch.LastError = null;
        Save(batch);
        logger.LogInformation("Batch {Batch} anchored in block {Block} ({Gas} gas)", batch.Id, mined.BlockNumber, mined.GasUsed);
    }

    private void Resend(BatchEntity batch, string reason)
    {
        if (batch.Attempts >= MaxFailedTransactions)
        {
            Fail(batch, $"{reason} Gave up after {batch.Attempts} transactions.");
            return;
        }
        logger.LogWarning("Batch {Batch}: {Reason} Sending it again", batch.Id, reason);
        batch.State = BatchStates.Sealed;
        batch.TransactionHash = null;
        batch.LastError = reason;
        Save(batch);
    }

    private void Fail(BatchEntity batch, string reason)
    {
        logger.LogError("Batch {Batch} cannot be anchored: {Reason}", batch.Id, reason);
        batch.State = BatchStates.Failed;
        batch.LastError = reason;
        Save(batch);
    }

    private void Save(BatchEntity batch) => database.Batches.Update(batch);
}
