using Registry.Anchoring;
using Registry.Api.Storage;
using Registry.Chain;
using Registry.Hashing;

namespace Registry.Api.Anchoring;

/// <summary>
/// Seals batches when they are full or old enough, and carries every unfinished batch to the chain.
/// What to do with a batch is decided by <see cref="BatchLife"/> (and with a revocation by
/// <see cref="RevocationLife"/>), which does no I/O: this loop reads what the machine asks of the
/// chain, performs the step it answers and stores the result. All state lives in the store, so a
/// restart resumes where the last run stopped, and the contract's refusal of a root it already has
/// means no batch anchors twice. Among instances sharing a database only the holder of the anchoring
/// lease (<see cref="AnchoringLeadership"/>) runs this loop, and every batch it stores carries the
/// lease, so an instance that lost it stores nothing more and so sends nothing more: the one that took
/// over resumes the unfinished batches from the store as a restarted registry does.
/// </summary>
public sealed class AnchoringService(
    IIssuerStore issuers,
    ICredentialStore credentials,
    IBatchStore batches,
    IRevocationStore revocations,
    IAnchoringChain chain,
    AnchorSender sender,
    BatchSealer sealer,
    RegistryOptions options,
    TimeProvider clock,
    AnchoringLeadership leadership,
    ILogger<AnchoringService> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan WaitingRecheck = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SubmittedRecheck = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<string, (DateTime NotBefore, TimeSpan Wait)> _retries = new(StringComparer.Ordinal);
    // The lease of the round in progress: every batch the round stores carries it.
    private AnchoringLease? _lease;

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
                if (leadership.TryLead() is not { } lease)
                {
                    // Another instance anchors; its back-off and retries are its own.
                    _retries.Clear();
                    backoff = TimeSpan.Zero;
                    await WaitAsync(Tick, stoppingToken);
                    continue;
                }
                _lease = lease;
                // Sealing needs no chain: credentials keep moving into batches while the node is down.
                foreach (var issuerId in credentials.Due(options.MaxBatchSize, options.MaxDelay, clock.GetUtcNow().UtcDateTime))
                    sealer.Seal(issuerId);

                var target = await chain.ConnectAsync(stoppingToken);
                foreach (var batch in batches.Unfinished())
                    await AdvanceOrPostponeAsync(batch, target);
                await ConfirmRevocationsAsync(target);
                backoff = TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (LeaseLostException)
            {
                leadership.Lost(_lease!);
                continue;
            }
            catch (Exception e)
            {
                backoff = Backoff.After(backoff);
                logger.LogWarning("Anchoring paused for {Backoff}: {Message}", backoff, e.Message);
            }
            await WaitAsync(backoff > Tick ? backoff : Tick, stoppingToken);
        }
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        try
        {
            await _wake.WaitAsync(wait, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Advances one batch; when that fails for a reason of its own (its account has no funds left,
    /// say), records why on the batch and retries it later with back-off, so other batches go on.
    /// A chain that cannot be reached pauses everything instead.
    /// </summary>
    private async Task AdvanceOrPostponeAsync(BatchEntity batch, AnchoringTarget target)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        _retries.TryGetValue(batch.Id, out var retry);
        if (retry.NotBefore > now) return;
        try
        {
            await AdvanceAsync(batch, target);
            // A batch that waits for funds or fees, or for blocks of a public chain, is looked at again
            // in a few seconds, not every tick: a public RPC provider counts every call.
            var pause = batch.Waiting is not null ? WaitingRecheck
                : batch.State == BatchStates.Submitted && target.ChainId != DevelopmentChain.ChainId ? SubmittedRecheck
                : TimeSpan.Zero;
            if (pause > TimeSpan.Zero) _retries[batch.Id] = (now + pause, TimeSpan.Zero);
            else _retries.Remove(batch.Id);
        }
        catch (Exception e) when (e is not LeaseLostException && !chain.IsUnreachable(e))
        {
            var wait = Backoff.After(retry.Wait);
            _retries[batch.Id] = (now + wait, wait);
            batch.LastError = e.Message;
            Save(batch);
            logger.LogWarning("Batch {Batch}: {Message} Trying again in {Wait}", batch.Id, e.Message, wait);
        }
    }

    /// <summary>Asks the machine for the batch's next step, reading from the chain what it asks for, then performs the step.</summary>
    private async Task AdvanceAsync(BatchEntity batch, AnchoringTarget target)
    {
        var issuer = IssuerOf(batch.IssuerId);
        var root = Bytes32.Parse(batch.Root);
        var facts = new BatchFacts(
            batch.State == BatchStates.Sealed ? BatchPhase.Sealed : BatchPhase.Submitted, issuer.Address, batch.Nonce, batch.SentAtBlock, batch.Attempts,
            issuer.RemovedAt is not null, issuer.TrustedUntil is { } trustedUntil ? new DateTimeOffset(trustedUntil.ToUniversalTime()) : null);
        var rules = new AnchoringRules(target.Confirmations, options.ReplaceAfterBlocks);
        var seen = ChainObservation.Nothing;
        var step = BatchLife.Next(facts, seen, rules);
        while (step is Observe observe)
        {
            seen = await ObserveAsync(observe.Question, batch, issuer.Address, root, seen);
            step = BatchLife.Next(facts, seen, rules);
        }
        try
        {
            await PerformAsync(step, batch, issuer, target, root);
        }
        catch (ContractRevertedException e) when (BatchLife.AfterRefusedSend(e.ErrorName, e.Message) is { } fail)
        {
            Fail(batch, fail.Reason);
        }
    }

    private async Task<ChainObservation> ObserveAsync(ChainQuestion question, BatchEntity batch, string issuerAddress, Bytes32 root, ChainObservation seen) =>
        question switch
        {
            ChainQuestion.Anchor => seen with { Anchor = await chain.GetAnchorAsync(issuerAddress, root) },
            ChainQuestion.Receipt => seen with { Receipt = new ReceiptSeen(await FindMinedAsync(batch)) },
            ChainQuestion.Head => seen with { Head = await chain.GetHeadAsync() },
            ChainQuestion.NonceUsed => seen with { NonceUsed = await chain.GetNonceAsync(issuerAddress, pending: false) > batch.Nonce },
            ChainQuestion.Known => seen with { Known = await IsAnyKnownAsync(batch) },
            _ => throw new ArgumentOutOfRangeException(nameof(question), question, null),
        };

    /// <summary>The batch's transactions, newest first: replacements share one nonce, so at most one of them is mined.</summary>
    private static IEnumerable<string> NewestFirst(BatchEntity batch) =>
        batch.TransactionHashes.Count > 0 ? Enumerable.Reverse(batch.TransactionHashes) : [batch.TransactionHash!];

    private async Task<MinedTransaction?> FindMinedAsync(BatchEntity batch)
    {
        foreach (var hash in NewestFirst(batch))
            if (await chain.GetMinedAsync(hash) is { } mined) return mined;
        return null;
    }

    private async Task<bool> IsAnyKnownAsync(BatchEntity batch)
    {
        foreach (var hash in NewestFirst(batch))
            if (await chain.IsKnownAsync(hash)) return true;
        return false;
    }

    private async Task PerformAsync(BatchStep step, BatchEntity batch, IssuerEntity issuer, AnchoringTarget target, Bytes32 root)
    {
        switch (step)
        {
            case Wait:
                return;
            case SendFirst:
                // Stored before sending: where to look for the transaction if the hash is lost in a crash.
                batch.ChainId = target.ChainId;
                batch.Contract = target.Contract;
                batch.FromBlock ??= await chain.GetHeadAsync();
                Save(batch);
                await sender.SendAsync(batch, issuer, _lease!, replacing: false, countsAsAttempt: true);
                return;
            case SendAgain again:
                logger.LogWarning("Batch {Batch}: transaction {Transaction} was dropped by the node; sending it again", batch.Id, batch.TransactionHash);
                batch.LastError = again.Reason;
                await sender.SendAsync(batch, issuer, _lease!, replacing: again.SameNonce, countsAsAttempt: true);
                return;
            case Replace replace:
                logger.LogWarning("Batch {Batch}: transaction {Transaction} waited {Blocks} blocks; replacing it with a higher tip",
                    batch.Id, batch.TransactionHash, replace.WaitedBlocks);
                await sender.SendAsync(batch, issuer, _lease!, replacing: true, countsAsAttempt: false);
                return;
            case Recover:
                await RecoverAsync(batch, target, issuer.Address, root);
                return;
            case Track track:
                if (Record(batch, track.Mined, track.Confirmations, target.Confirmations)) Save(batch);
                return;
            case MarkAnchored anchored:
                Record(batch, anchored.Mined, anchored.Confirmations, target.Confirmations);
                batch.State = BatchStates.Anchored;
                batch.AnchoredAt = anchored.AnchoredAt.UtcDateTime;
                batch.Voided = anchored.Voided;
                batch.ChainId ??= target.ChainId;
                batch.Contract ??= target.Contract;
                Save(batch);
                logger.LogInformation("Batch {Batch} anchored in block {Block} ({Gas} gas)", batch.Id, anchored.Mined.BlockNumber, anchored.Mined.GasUsed);
                return;
            case StartOver startOver:
                logger.LogWarning("Batch {Batch}: {Reason} Sending it again", batch.Id, startOver.Reason);
                batch.State = BatchStates.Sealed;
                batch.TransactionHash = null;
                batch.TransactionHashes.Clear();
                batch.Nonce = null;
                batch.BlockNumber = null;
                batch.Confirmations = null;
                batch.ConfirmationsRequired = null;
                batch.LastError = startOver.Reason;
                Save(batch);
                return;
            case Fail fail:
                Fail(batch, fail.Reason);
                return;
            default:
                throw new InvalidOperationException($"The anchoring loop cannot perform {step}.");
        }
    }

    /// <summary>Records the mined transaction and its confirmations on the batch; true when something changed.</summary>
    private static bool Record(BatchEntity batch, MinedTransaction mined, int confirmations, int required)
    {
        if (batch.TransactionHash == mined.Hash && batch.BlockNumber == mined.BlockNumber && batch.Confirmations == confirmations
            && batch.LastError is null && batch.Waiting is null)
            return false;
        batch.TransactionHash = mined.Hash;
        batch.BlockNumber = mined.BlockNumber;
        batch.GasUsed = mined.GasUsed;
        batch.Confirmations = confirmations;
        batch.ConfirmationsRequired = required;
        batch.LastError = null;
        batch.Waiting = null;
        return true;
    }

    /// <summary>The root is anchored by this issuer but the batch lost track of the transaction: find it by its event.</summary>
    private async Task RecoverAsync(BatchEntity batch, AnchoringTarget target, string issuerAddress, Bytes32 root)
    {
        var found = await chain.FindAnchoringAsync(issuerAddress, root, batch.FromBlock ?? 0)
            ?? throw new InvalidOperationException($"Root {root} is anchored but its Anchored event was not found yet.");
        batch.TransactionHash = found;
        if (!batch.TransactionHashes.Contains(found)) batch.TransactionHashes.Add(found);
        batch.ChainId = target.ChainId;
        batch.Contract = target.Contract;
        batch.State = BatchStates.Submitted;
        Save(batch);
    }

    /// <summary>
    /// Revocations show <c>revoking</c> until their block has the configured confirmations; then
    /// <c>revoked</c>, if the chain still has them. One undone by a reorganisation is cleared, so that
    /// the issuer can revoke again.
    /// </summary>
    private async Task ConfirmRevocationsAsync(AnchoringTarget target)
    {
        var pendingRevocations = revocations.Pending();
        if (pendingRevocations.Count == 0) return;
        var head = await chain.GetHeadAsync();
        foreach (var revocation in pendingRevocations)
        {
            var step = RevocationLife.Next(revocation.Block, head, target.Confirmations, onChain: null);
            if (step == RevocationStep.ObserveRevocation)
            {
                var issuer = IssuerOf(revocation.IssuerId);
                var onChain = await chain.IsRevokedAsync(issuer.Address, Bytes32.Parse(revocation.Digest));
                step = RevocationLife.Next(revocation.Block, head, target.Confirmations, onChain);
            }
            switch (step)
            {
                case RevocationStep.Clear:
                    logger.LogWarning("The revocation of credential {Credential} in {Transaction} was undone by a reorganisation; it can be revoked again",
                        revocation.Id, revocation.Transaction);
                    revocations.Clear(revocation.Id);
                    break;
                case RevocationStep.Confirm:
                    revocations.Confirm(revocation);
                    break;
            }
        }
    }

    private void Fail(BatchEntity batch, string reason)
    {
        logger.LogError("Batch {Batch} cannot be anchored: {Reason}", batch.Id, reason);
        batch.State = BatchStates.Failed;
        batch.LastError = reason;
        Save(batch);
    }

    private IssuerEntity IssuerOf(string issuerId) =>
        issuers.Find(issuerId) ?? throw new InvalidOperationException($"Issuer {issuerId} is named by a batch or revocation but not stored.");

    private void Save(BatchEntity batch) => batches.Update(batch, _lease!);
}
