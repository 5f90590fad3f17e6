using System.Numerics;

namespace Registry.Chain;

/// <summary>What to offer for a transaction, or why not to send one now.</summary>
public sealed record FeeDecision(TransactionFees? Fees, string? Wait);

/// <summary>
/// EIP-1559 fees under a ceiling. A new transaction offers twice the base fee plus the tip, so that it
/// stays includable while the base fee rises for a few blocks; it waits while the base fee alone is
/// above the ceiling. A replacement raises both fees by at least an eighth, which nodes require before
/// they let a transaction take the place of another with the same nonce.
/// </summary>
public sealed class FeePolicy(BigInteger ceiling)
{
    public const long WeiPerGwei = 1_000_000_000;

    /// <summary>The ceiling in wei per gas; zero for none.</summary>
    public BigInteger Ceiling { get; } = ceiling;

    public static FeePolicy FromGwei(decimal ceilingGwei) => new(new BigInteger(decimal.Round(ceilingGwei * WeiPerGwei)));

    /// <summary>The fees for a new transaction, given the latest base fee and the suggested tip.</summary>
    public FeeDecision Offer(BigInteger baseFee, BigInteger tip)
    {
        if (Ceiling > 0 && baseFee > Ceiling)
            return new FeeDecision(null,
                $"The base fee is {Amounts.Gwei(baseFee)} gwei, above the ceiling of {Amounts.Gwei(Ceiling)} gwei (REGISTRY_MAX_FEE_GWEI); anchoring waits until it falls.");
        var maxFee = baseFee * 2 + tip;
        if (Ceiling > 0 && maxFee > Ceiling) maxFee = Ceiling;
        return new FeeDecision(new TransactionFees(maxFee, BigInteger.Min(tip, maxFee - baseFee)), null);
    }

    /// <summary>The fees for a transaction that replaces <paramref name="previous"/> (same nonce).</summary>
    public FeeDecision Replace(TransactionFees previous, BigInteger baseFee, BigInteger tip)
    {
        var minimumTip = Bump(previous.MaxPriorityFeePerGas);
        var minimumMaxFee = Bump(previous.MaxFeePerGas);
        var newTip = BigInteger.Max(minimumTip, tip);
        var maxFee = BigInteger.Max(minimumMaxFee, baseFee * 2 + newTip);
        if (Ceiling > 0 && maxFee > Ceiling)
        {
            if (minimumMaxFee > Ceiling || minimumTip > Ceiling)
                return new FeeDecision(null,
                    $"The transaction waits at {Amounts.Gwei(previous.MaxFeePerGas)} gwei; replacing it would pay more than the ceiling of {Amounts.Gwei(Ceiling)} gwei (REGISTRY_MAX_FEE_GWEI).");
            maxFee = Ceiling;
            newTip = BigInteger.Min(newTip, maxFee);
        }
        return new FeeDecision(new TransactionFees(maxFee, newTip), null);
    }

    private static BigInteger Bump(BigInteger fee) => fee + fee / 8 + 1;
}
