using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using Nethereum.Util;
using Registry.Api.Anchoring;
using Registry.Api.Storage;
using Registry.Chain;

namespace Registry.Api.Issuers;

/// <summary>What an issuer account holds and how many anchors that pays for at the current fee.</summary>
public sealed record IssuerBalance(string BalanceWei, long AnchorsAffordable);

/// <summary>
/// Issuer accounts pay their own gas. On the local chain the operator funds each new account; elsewhere
/// it tops accounts up only when configured (REGISTRY_TOPUP_AMOUNT, REGISTRY_TOPUP_BELOW), at most once
/// a minute per account, and a batch whose account cannot pay waits, saying who must send how much.
/// </summary>
public sealed class IssuerFunding(RegistryChain chain, FeePolicy fees, RegistryOptions options, TimeProvider clock, ILogger<IssuerFunding> logger)
{
    /// <summary>What an anchor costs in gas, about (48,460 measured; the ceiling of the specification).</summary>
    public const long AnchorGas = 50_000;

    private static readonly TimeSpan TopUpInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastTopUp = new(StringComparer.Ordinal);

    /// <summary>The account's balance and the anchors it pays for at what the registry would offer per gas now.</summary>
    public async Task<IssuerBalance> BalanceOfAsync(string address)
    {
        var balance = await chain.Connection.GetBalanceAsync(address);
        var perAnchor = await CostAsync(AnchorGas);
        return new IssuerBalance(balance.ToString(CultureInfo.InvariantCulture), perAnchor.IsZero ? long.MaxValue : (long)BigInteger.Min(balance / perAnchor, long.MaxValue));
    }

    /// <summary>The most a revocation takes, in gas (one at proof depth 17 takes about 67,000; a multiproof of many, more).</summary>
    public const long RevocationGas = 150_000;

    /// <summary>What <paramref name="gas"/> costs at most at the fee the registry would offer now, in wei.</summary>
    public async Task<BigInteger> CostAsync(long gas)
    {
        var (baseFee, tip) = await chain.Connection.GetFeesAsync();
        return gas * (fees.Offer(baseFee, tip).Fees?.MaxFeePerGas ?? baseFee * 2 + tip);
    }

    /// <summary>Funds a new account: on the local chain always; elsewhere when a top-up is configured.</summary>
    public async Task FundNewAccountAsync(RegistryWriter operatorWriter, long chainId, string address)
    {
        if (chainId == DevelopmentChain.ChainId) await operatorWriter.FundAsync(address, options.IssuerFunding);
        else if (options.TopupAmount is { } amount)
        {
            await operatorWriter.FundAsync(address, amount);
            _lastTopUp[address] = clock.GetUtcNow();
            logger.LogInformation("Topped up new issuer account {Address} with {Amount} ETH from the operator", address, amount);
        }
    }

    /// <summary>
    /// Null when the issuer's account can pay <paramref name="costWei"/> (after a top-up, where configured);
    /// else what is missing ("issuer account … holds …, short by … wei"), naming the account and the shortfall.
    /// </summary>
    public async Task<string?> ShortfallAsync(IssuerEntity issuer, ChainState state, BigInteger costWei, string what = "anchoring")
    {
        var balance = await chain.Connection.GetBalanceAsync(issuer.Address);
        if (balance >= costWei && balance >= Wei(options.TopupBelow)) return null;
        if (options.TopupAmount is { } amount && await TopUpAsync(issuer.Address, state, amount))
            balance = await chain.Connection.GetBalanceAsync(issuer.Address);
        if (balance >= costWei) return null;
        var topUp = options.TopupAmount is null
            ? "or set REGISTRY_TOPUP_AMOUNT for the operator to top issuer accounts up"
            : "the operator's top-up (REGISTRY_TOPUP_AMOUNT) did not cover it";
        return $"issuer account {issuer.Address} holds {Amounts.Ether(balance)} ETH ({balance} wei); {what} needs up to " +
            $"{Amounts.Ether(costWei)} ETH at the current fee, short by {costWei - balance} wei. Send ETH to {issuer.Address}, {topUp}.";
    }

    private async Task<bool> TopUpAsync(string address, ChainState state, decimal amount)
    {
        var now = clock.GetUtcNow();
        if (_lastTopUp.TryGetValue(address, out var last) && now - last < TopUpInterval) return false;
        _lastTopUp[address] = now;
        try
        {
            await chain.WithOperatorAsync(state, writer => writer.FundAsync(address, amount), CancellationToken.None);
            logger.LogInformation("Topped up issuer account {Address} with {Amount} ETH from the operator", address, amount);
            return true;
        }
        catch (Exception e) when (!ChainConnection.IsUnreachable(e))
        {
            logger.LogWarning("The operator could not top up {Address}: {Message}", address, e.Message);
            return false;
        }
    }

    private static BigInteger Wei(decimal ether) => UnitConversion.Convert.ToWei(ether);

}
