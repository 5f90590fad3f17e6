using System.Globalization;
using System.Numerics;
using Registry.Api.Storage;
using Registry.Chain;
using Registry.Hashing;

namespace Registry.Api.Anchoring;

/// <summary>
/// Sends a batch's <c>anchor(root, count)</c>: EIP-1559 fees under the ceiling, the hash stored before
/// the node sees the transaction. A replacement keeps the nonce and raises the fees. Waits instead
/// (and says why on the batch) while the base fee is above the ceiling or the account cannot pay.
/// Every write carries the anchoring lease: an instance that lost it cannot store the hash, and so never sends.
/// </summary>
public sealed class AnchorSender(IBatchStore batches, IAnchoringChain chain, FeePolicy feePolicy, ILogger<AnchorSender> logger)
{
    public async Task SendAsync(BatchEntity batch, IssuerEntity issuer, AnchoringLease lease, bool replacing, bool countsAsAttempt)
    {
        void Save(BatchEntity changed) => batches.Update(changed, lease);

        var root = Bytes32.Parse(batch.Root);
        var (baseFee, tip) = await chain.GetFeesAsync();
        var previous = replacing && batch.MaxFeePerGas is { } max && batch.MaxPriorityFeePerGas is { } prio
            ? new TransactionFees(BigInteger.Parse(max, CultureInfo.InvariantCulture), BigInteger.Parse(prio, CultureInfo.InvariantCulture))
            : null;
        var decision = previous is null ? feePolicy.Offer(baseFee, tip) : feePolicy.Replace(previous, baseFee, tip);
        if (decision.Fees is not { } fees)
        {
            WaitFor(batch, lease, decision.Wait!);
            return;
        }
        await chain.AsIssuerAsync(issuer, async signer =>
        {
            var gas = previous is not null && batch.Gas is { } known ? known : await signer.EstimateAnchorGasAsync(root, (uint)batch.Count) * 6 / 5;
            if (await chain.ShortfallAsync(issuer, gas * fees.MaxFeePerGas) is { } shortfall)
            {
                WaitFor(batch, lease, $"Waiting for funds: {shortfall}");
                return;
            }
            var nonce = previous is not null ? batch.Nonce!.Value : await chain.GetNonceAsync(issuer.Address, pending: true);
            var signed = await signer.SignAnchorAsync(root, (uint)batch.Count, nonce, gas, fees);
            var before = (batch.State, batch.TransactionHash, batch.Nonce);
            if (previous is null) batch.TransactionHashes.Clear();
            batch.TransactionHashes.Add(signed.Hash);
            batch.TransactionHash = signed.Hash;
            batch.Nonce = nonce;
            batch.Gas = gas;
            batch.MaxFeePerGas = fees.MaxFeePerGas.ToString(CultureInfo.InvariantCulture);
            batch.MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas.ToString(CultureInfo.InvariantCulture);
            batch.SentAtBlock = await chain.GetHeadAsync();
            batch.State = BatchStates.Submitted;
            batch.Waiting = null;
            if (countsAsAttempt) batch.Attempts++;
            Save(batch); // the hash is on disk before the node sees the transaction
            try
            {
                await chain.SendRawAsync(signed.Raw);
            }
            catch (Exception e) when (!chain.IsUnreachable(e))
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
        });
    }

    private void WaitFor(BatchEntity batch, AnchoringLease lease, string reason)
    {
        if (batch.Waiting == reason) return;
        logger.LogWarning("Batch {Batch} waits: {Reason}", batch.Id, reason);
        batch.Waiting = reason;
        batches.Update(batch, lease);
    }
}
