using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Registry.Anchoring;
using Registry.Verification;
using Registry.Verification.Rpc;

namespace Registry.Chain;

/// <summary>One JSON-RPC endpoint: reads blocks and receipts, makes Web3 clients for signing and sending, and the contract's reader.</summary>
public sealed class ChainConnection
{
    /// <summary>Nethereum waits two minutes by default; a registry that must stay responsive gives up sooner.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static readonly HttpClient Http = new() { Timeout = Timeout };

    static ChainConnection()
    {
        ClientBase.ConnectionTimeout = Timeout;
    }

    public ChainConnection(Uri rpcUrl)
    {
        RpcUrl = rpcUrl;
        Reader = new Web3(rpcUrl.ToString());
    }

    public Uri RpcUrl { get; }

    /// <summary>A client with no account, for calls.</summary>
    public Web3 Reader { get; }

    /// <summary>The contract's reader: the same plain JSON-RPC reader that verification uses everywhere.</summary>
    public JsonRpcChainReader ContractReader(string contract) => new(Http, RpcUrl, contract);

    /// <summary>A client that signs with <paramref name="privateKey"/>.</summary>
    public Web3 SignerFor(string privateKey, long chainId) => new(new Account(privateKey, chainId), RpcUrl.ToString());

    public async Task<long> GetChainIdAsync() => (long)(await Reader.Eth.ChainId.SendRequestAsync()).Value;

    public async Task<long> GetBlockNumberAsync() => (long)(await Reader.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    public async Task<bool> HasCodeAsync(string address)
    {
        var code = await Reader.Eth.GetCode.SendRequestAsync(address);
        return !string.IsNullOrEmpty(code) && code != "0x";
    }

    public async Task<DateTimeOffset> GetBlockTimeAsync(long blockNumber) => (await GetBlockAsync(blockNumber))!.Time;

    /// <summary>Block <paramref name="blockNumber"/> (or the latest, when null): its number, hash and time; null when there is no such block yet.</summary>
    public async Task<ChainPoint?> GetBlockAsync(long? blockNumber = null)
    {
        var block = await Reader.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(
            blockNumber is { } number ? new BlockParameter(new HexBigInteger(number)) : BlockParameter.CreateLatest());
        return block is null ? null
            : new ChainPoint((long)block.Number.Value, block.BlockHash.ToLowerInvariant(), DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value));
    }

    /// <summary>The receipt of <paramref name="transactionHash"/>, or null while it is not mined (or was dropped).</summary>
    public async Task<MinedTransaction?> GetMinedAsync(string transactionHash)
    {
        var receipt = await Reader.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(transactionHash);
        return receipt is null ? null : ToMined(receipt);
    }

    /// <summary>The account's balance in wei.</summary>
    public async Task<BigInteger> GetBalanceAsync(string address) => (await Reader.Eth.GetBalance.SendRequestAsync(address)).Value;

    /// <summary>The account's next nonce: counting the transactions waiting in the node's pool, or only the mined ones.</summary>
    public async Task<long> GetNonceAsync(string address, bool pending) =>
        (long)(await Reader.Eth.Transactions.GetTransactionCount.SendRequestAsync(address,
            pending ? BlockParameter.CreatePending() : BlockParameter.CreateLatest())).Value;

    /// <summary>The latest block's base fee and the node's suggested priority fee (tip), in wei.</summary>
    public async Task<(BigInteger BaseFee, BigInteger Tip)> GetFeesAsync()
    {
        var block = await Reader.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
        var baseFee = block.BaseFeePerGas?.Value ?? BigInteger.Zero;
        BigInteger tip;
        try
        {
            tip = (await Reader.Client.SendRequestAsync<HexBigInteger>("eth_maxPriorityFeePerGas")).Value;
        }
        catch (RpcResponseException)
        {
            tip = MinimumTip; // a node without the method: one gwei, what most nodes suggest on a quiet chain
        }
        return (baseFee, BigInteger.Max(tip, MinimumTip));
    }

    /// <summary>The smallest tip the registry offers: one gwei.</summary>
    public static readonly BigInteger MinimumTip = 1_000_000_000;

    /// <summary>Sends a signed transaction (0x-prefixed hex).</summary>
    public Task SendRawAsync(string signedTransaction) => Reader.Eth.Transactions.SendRawTransaction.SendRequestAsync(signedTransaction);

    /// <summary>True when the node still knows the transaction (mined or waiting in its pool).</summary>
    public async Task<bool> IsKnownAsync(string transactionHash) =>
        await Reader.Eth.Transactions.GetTransactionByHash.SendRequestAsync(transactionHash) is not null;

    /// <summary>True when <paramref name="e"/> means the node could not be reached or did not answer in time.</summary>
    public static bool IsUnreachable(Exception e) =>
        e is HttpRequestException or RpcClientUnknownException or RpcClientTimeoutException or NodeUnavailableException { Unreachable: true };

    internal static MinedTransaction ToMined(TransactionReceipt receipt) => new(
        receipt.TransactionHash.ToLowerInvariant(),
        receipt.Status?.Value == 1,
        (long)receipt.BlockNumber.Value,
        (long)receipt.GasUsed.Value);
}
