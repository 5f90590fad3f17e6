using System.Numerics;
using Registry.Chain;

namespace Registry.Tests.Chain;

public sealed class FeePolicyTests
{
    private static readonly BigInteger Gwei = FeePolicy.WeiPerGwei;

    [Fact]
    public void A_new_transaction_offers_twice_the_base_fee_plus_the_tip()
    {
        var fees = FeePolicy.FromGwei(100).Offer(10 * Gwei, 2 * Gwei).Fees!;
        Assert.Equal(22 * Gwei, fees.MaxFeePerGas);
        Assert.Equal(2 * Gwei, fees.MaxPriorityFeePerGas);
    }

    [Fact]
    public void The_ceiling_caps_the_offer_and_a_base_fee_above_it_waits()
    {
        var policy = FeePolicy.FromGwei(15);
        var capped = policy.Offer(10 * Gwei, 2 * Gwei).Fees!;
        Assert.Equal(15 * Gwei, capped.MaxFeePerGas);
        Assert.Equal(2 * Gwei, capped.MaxPriorityFeePerGas);

        var waiting = policy.Offer(16 * Gwei, 2 * Gwei);
        Assert.Null(waiting.Fees);
        Assert.Contains("above the ceiling of 15 gwei", waiting.Wait);
        Assert.NotNull(FeePolicy.FromGwei(0).Offer(1000 * Gwei, 2 * Gwei).Fees); // 0: no ceiling
    }

    [Fact]
    public void A_replacement_raises_both_fees_by_more_than_an_eighth()
    {
        var previous = new TransactionFees(22 * Gwei, 2 * Gwei);
        var replacement = FeePolicy.FromGwei(100).Replace(previous, 1 * Gwei, 1 * Gwei).Fees!;
        Assert.True(replacement.MaxFeePerGas * 8 > previous.MaxFeePerGas * 9);
        Assert.True(replacement.MaxPriorityFeePerGas * 8 > previous.MaxPriorityFeePerGas * 9);

        // A risen base fee lifts the offer beyond the bump.
        Assert.Equal(2 * 60 * Gwei + replacement.MaxPriorityFeePerGas,
            FeePolicy.FromGwei(1000).Replace(previous, 60 * Gwei, 1 * Gwei).Fees!.MaxFeePerGas);
    }

    [Fact]
    public void A_replacement_that_would_pass_the_ceiling_waits()
    {
        var previous = new TransactionFees(95 * Gwei, 2 * Gwei);
        var decision = FeePolicy.FromGwei(100).Replace(previous, 40 * Gwei, 2 * Gwei);
        Assert.Null(decision.Fees);
        Assert.Contains("replacing it would pay more than the ceiling of 100 gwei", decision.Wait);
    }
}
