using System.Globalization;
using System.Numerics;
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
    CredentialStore store,
    IssuerAccounts accounts,
    IssuerFunding funding,
    FeePolicy feePolicy,
    RegistryOptions options,
    TimeProvider clock,
    ILogger<AnchoringService> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private const int MaxFailedTransactions = 5;
    private static readonly TimeSpan WaitingRecheck = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SubmittedRecheck = TimeSpan.FromSeconds(1);

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
                foreach (var issuerId in store.Due(options.MaxBatchSize, options.MaxDelay, clock.GetUtcNow().UtcDateTime))
                    sealer.Seal(issuerId);

                var state = await chain.GetAsync(stoppingToken);
                foreach (var batch in database.Batches.Find(Query.In(nameof(BatchEntity.State), BatchStates.Sealed, BatchStates.Submitted)).ToList())
                    await AdvanceOrPostponeAsync(batch, state);
                await ConfirmRevocationsAsync(state);
                backoff = TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                backoff = Backoff.After(backoff);
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
            // A batch that waits for funds or fees, or for blocks of a public chain, is looked at again
            // in a few seconds, not every tick: a public RPC provider counts every call.
            var pause = batch.Waiting is not null ? WaitingRecheck
                : batch.State == BatchStates.Submitted && state.ChainId != DevelopmentChain.ChainId ? SubmittedRecheck
                : TimeSpan.Zero;
            if (pause > TimeSpan.Zero) _retries[batch.Id] = (now + pause, TimeSpan.Zero);
            else _retries.Remove(batch.Id);
        }
        catch (Exception e) when (!IsUnreachable(e))
        {
            var wait = Backoff.After(retry.Wait);
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
                await RecoverAnchoringAsync(batch, state, issuer.Address, root);
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
                await SendAsync(batch, issuer, state, replacing: false, countsAsAttempt: true);
            }
            catch (ContractRevertedException e) when (e.ErrorName is "IssuerNotActive" or "UnknownIssuer")
            {
                Fail(batch, e.Message);
            }
            return;
        }

        var mined = await FindMinedAsync(batch);
        var head = await chain.Connection.GetBlockNumberAsync();
        if (mined is null)
        {
            await FollowPendingAsync(batch, issuer, state, root, head);
            return;
        }
        if (!mined.Succeeded)
        {
            Resend(batch, $"Transaction {mined.Hash} failed.");
            return;
        }
        var confirmations = (int)Math.Min(head - mined.BlockNumber, state.Confirmations);
        if (batch.TransactionHash != mined.Hash || batch.BlockNumber != mined.BlockNumber || batch.Confirmations != confirmations || batch.LastError is not null
            || batch.Waiting is not null)
        {
            batch.TransactionHash = mined.Hash;
            batch.BlockNumber = mined.BlockNumber;
            batch.GasUsed = mined.GasUsed;
            batch.Confirmations = confirmations;
            batch.ConfirmationsRequired = state.Confirmations;
            batch.LastError = null;
            batch.Waiting = null;
            Save(batch);
        }
        if (head < mined.BlockNumber + state.Confirmations) return;

        var anchor = await state.Reader.GetAnchorAsync(issuer.Address, root);
        if (anchor is null)
        {
            Resend(batch, "The anchoring block was undone by a reorganisation.");
            return;
        }
        batch.State = BatchStates.Anchored;
        batch.AnchoredAt = anchor.AnchoredAt.UtcDateTime;
        // Mined after its issuer was removed as compromised: on record, but void.
        batch.Voided = issuer.TrustedUntil is { } trustedUntil && batch.AnchoredAt > trustedUntil;
        batch.ChainId ??= state.ChainId;
        batch.Contract ??= state.Contract;
        Save(batch);
        logger.LogInformation("Batch {Batch} anchored in block {Block} ({Gas} gas)", batch.Id, mined.BlockNumber, mined.GasUsed);
    }

    /// <summary>The receipt of whichever of the batch's transactions was mined (replacements share one nonce, so at most one is).</summary>
    private async Task<MinedTransaction?> FindMinedAsync(BatchEntity batch)
    {
        var hashes = batch.TransactionHashes.Count > 0 ? batch.TransactionHashes : [batch.TransactionHash!];
        for (var i = hashes.Count - 1; i >= 0; i--)
            if (await chain.Connection.GetMinedAsync(hashes[i]) is { } mined) return mined;
        return null;
    }

    /// <summary>
    /// None of the batch's transactions is mined: it waits in the pool (replaced with a higher tip once
    /// it has waited too many blocks), was dropped (sent again with the same nonce), or its nonce went
    /// to another transaction of the account (sealed again, for a new nonce).
    /// </summary>
    private async Task FollowPendingAsync(BatchEntity batch, IssuerEntity issuer, ChainState state, Bytes32 root, long head)
    {
        if (batch.Nonce is { } nonce && await chain.Connection.GetNonceAsync(issuer.Address, pending: false) > nonce)
        {
            // The nonce is used. By this batch, when the receipt was not visible a moment ago; else by another transaction.
            if (await state.Reader.GetAnchorAsync(issuer.Address, root) is not null)
                await RecoverAnchoringAsync(batch, state, issuer.Address, root);
            else
                Resend(batch, $"Nonce {nonce} of {issuer.Address} was used by another transaction.");
            return;
        }
        var known = false;
        foreach (var hash in batch.TransactionHashes.Count > 0 ? batch.TransactionHashes : [batch.TransactionHash!])
            known |= await chain.Connection.IsKnownAsync(hash);
        if (!known)
        {
            if (batch.Attempts >= MaxFailedTransactions)
            {
                Fail(batch, $"The transaction was dropped by the node. Gave up after {batch.Attempts} transactions.");
                return;
            }
            logger.LogWarning("Batch {Batch}: transaction {Transaction} was dropped by the node; sending it again", batch.Id, batch.TransactionHash);
            batch.LastError = "The transaction was dropped by the node; sent again.";
            await SendAsync(batch, issuer, state, replacing: batch.Nonce is not null, countsAsAttempt: true);
            return;
        }
        if (batch.SentAtBlock is { } sentAt && head - sentAt >= options.ReplaceAfterBlocks && batch.Nonce is not null)
        {
            logger.LogWarning("Batch {Batch}: transaction {Transaction} waited {Blocks} blocks; replacing it with a higher tip",
                batch.Id, batch.TransactionHash, head - sentAt);
            await SendAsync(batch, issuer, state, replacing: true, countsAsAttempt: false);
        }
    }

    /// <summary>
    /// Signs the batch's anchor with EIP-1559 fees under the ceiling, stores its hash, then sends it.
    /// A replacement keeps the nonce and raises the fees. Waits instead (and says why on the batch)
    /// while the base fee is above the ceiling or the account cannot pay.
    /// </summary>
    private async Task SendAsync(BatchEntity batch, IssuerEntity issuer, ChainState state, bool replacing, bool countsAsAttempt)
    {
        var root = Bytes32.Parse(batch.Root);
        var (baseFee, tip) = await chain.Connection.GetFeesAsync();
        var previous = replacing && batch.MaxFeePerGas is { } max && batch.MaxPriorityFeePerGas is { } prio
            ? new TransactionFees(BigInteger.Parse(max, CultureInfo.InvariantCulture), BigInteger.Parse(prio, CultureInfo.InvariantCulture))
            : null;
        var decision = previous is null ? feePolicy.Offer(baseFee, tip) : feePolicy.Replace(previous, baseFee, tip);
        if (decision.Fees is not { } fees)
        {
            WaitFor(batch, decision.Wait!);
            return;
        }
        await accounts.SendAsync(issuer, state, async writer =>
        {
            var gas = previous is not null && batch.Gas is { } known ? known : await writer.EstimateAnchorGasAsync(root, (uint)batch.Count) * 6 / 5;
            if (await funding.ShortfallAsync(issuer, state, gas * fees.MaxFeePerGas) is { } shortfall)
            {
                WaitFor(batch, $"Waiting for funds: {shortfall}");
                return true;
            }
            var nonce = previous is not null ? batch.Nonce!.Value : await chain.Connection.GetNonceAsync(issuer.Address, pending: true);
            var signed = await writer.SignAnchorAsync(root, (uint)batch.Count, nonce, gas, fees);
            var before = (batch.State, batch.TransactionHash, batch.Nonce);
            if (previous is null) batch.TransactionHashes.Clear();
            batch.TransactionHashes.Add(signed.Hash);
            batch.TransactionHash = signed.Hash;
            batch.Nonce = nonce;
            batch.Gas = gas;
            batch.MaxFeePerGas = fees.MaxFeePerGas.ToString(CultureInfo.InvariantCulture);
            batch.MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas.ToString(CultureInfo.InvariantCulture);
            batch.SentAtBlock = await chain.Connection.GetBlockNumberAsync();
            batch.State = BatchStates.Submitted;
            batch.Waiting = null;
            if (countsAsAttempt) batch.Attempts++;
            Save(batch); // the hash is on disk before the node sees the transaction
            try
            {
                await chain.Connection.SendRawAsync(signed.Raw);
            }
            catch (Exception e) when (!IsUnreachable(e))
            {
                // Never sent: forget it, and let the next round start from what the node says.
                batch.TransactionHashes.Remove(signed.Hash);
                (batch.State, batch.TransactionHash, batch.Nonce) = before;
                if (batch.TransactionHashes.Count == 0) (batch.State, batch.TransactionHash, batch.Nonce) = (BatchStates.Sealed, null, null);
                Save(batch);
                throw;
            }
            logger.LogInformation("Batch {Batch} of {Count}: sent anchor({Root}) in {Transaction} (nonce {Nonce}, up to {MaxFee} gwei)",
                batch.Id, batch.Count, root, signed.Hash, nonce, Amounts.Gwei(fees.MaxFeePerGas));
            return true;
        });
    }

    private void WaitFor(BatchEntity batch, string reason)
    {
        if (batch.Waiting == reason) return;
        logger.LogWarning("Batch {Batch} waits: {Reason}", batch.Id, reason);
        batch.Waiting = reason;
        Save(batch);
    }

    /// <summary>The root is anchored by this issuer but the batch lost track of the transaction: find it by its event.</summary>
    private async Task RecoverAnchoringAsync(BatchEntity batch, ChainState state, string issuerAddress, Bytes32 root)
    {
        var found = await state.Reader.FindAnchoringAsync(issuerAddress, root, batch.FromBlock ?? 0)
            ?? throw new InvalidOperationException($"Root {root} is anchored but its Anchored event was not found yet.");
        batch.TransactionHash = found.TransactionHash;
        if (!batch.TransactionHashes.Contains(found.TransactionHash)) batch.TransactionHashes.Add(found.TransactionHash);
        batch.ChainId = state.ChainId;
        batch.Contract = state.Contract;
        batch.State = BatchStates.Submitted;
        Save(batch);
    }

    /// <summary>
    /// Revocations show <c>revoking</c> until their block has the configured confirmations; then
    /// <c>revoked</c>, if the chain still has them. One undone by a reorganisation is cleared, so that
    /// the issuer can revoke again.
    /// </summary>
    private async Task ConfirmRevocationsAsync(ChainState state)
    {
        var pendingRevocations = database.Revocations.Find(r => r.Pending).ToList();
        if (pendingRevocations.Count == 0) return;
        var head = await chain.Connection.GetBlockNumberAsync();
        foreach (var revocation in pendingRevocations)
        {
            if (revocation.Block is { } block && head < block + state.Confirmations) continue;
            var issuer = database.Issuers.FindById(revocation.IssuerId);
            if (await state.Reader.GetRevocationAsync(issuer.Address, Bytes32.Parse(revocation.Digest)) is null)
            {
                logger.LogWarning("The revocation of credential {Credential} in {Transaction} was undone by a reorganisation; it can be revoked again",
                    revocation.Id, revocation.Transaction);
                database.Revocations.Delete(revocation.Id);
                continue;
            }
            revocation.Pending = false;
            database.Revocations.Update(revocation);
        }
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
        batch.TransactionHashes.Clear();
        batch.Nonce = null;
        batch.BlockNumber = null;
        batch.Confirmations = null;
        batch.ConfirmationsRequired = null;
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
