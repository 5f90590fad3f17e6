using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace Registry.Chain;

/// <summary>A mined transaction as the registry needs it.</summary>
public sealed record MinedTransaction(string Hash, bool Succeeded, long BlockNumber, long GasUsed);

/// <summary>One JSON-RPC endpoint: reads blocks and receipts, and makes Web3 clients for it.</summary>
public sealed class ChainConnection
{
    static ChainConnection()
    {
        // Nethereum waits two minutes by default; a registry that must stay responsive gives up sooner.
        ClientBase.ConnectionTimeout = TimeSpan.FromSeconds(15);
    }

    public ChainConnection(Uri rpcUrl)
    {
        RpcUrl = rpcUrl;
        Reader = new Web3(rpcUrl.ToString());
    }

    public Uri RpcUrl { get; }

    /// <summary>A client with no account, for calls.</summary>
    public Web3 Reader { get; }

    /// <summary>A client that signs with <paramref name="privateKey"/>.</summary>
    public Web3 SignerFor(string privateKey, long chainId) => new(new Account(privateKey, chainId), RpcUrl.ToString());

    public async Task<long> GetChainIdAsync() => (long)(await Reader.Eth.ChainId.SendRequestAsync()).Value;

    public async Task<long> GetBlockNumberAsync() => (long)(await Reader.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    public async Task<bool> HasCodeAsync(string address)
    {
        var code = await Reader.Eth.GetCode.SendRequestAsync(address);
        return !string.IsNullOrEmpty(code) && code != "0x";
    }

    public async Task<DateTimeOffset> GetBlockTimeAsync(long blockNumber)
    {
        var block = await Reader.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(blockNumber));
        return DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);
    }

    /// <summary>The receipt of <paramref name="transactionHash"/>, or null while it is not mined (or was dropped).</summary>
    public async Task<MinedTransaction?> GetMinedAsync(string transactionHash)
    {
        var receipt = await Reader.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(transactionHash);
        return receipt is null ? null : ToMined(receipt);
    }

    /// <summary>True when the node still knows the transaction (mined or waiting in its pool).</summary>
    public async Task<bool> IsKnownAsync(string transactionHash) =>
        await Reader.Eth.Transactions.GetTransactionByHash.SendRequestAsync(transactionHash) is not null;

    /// <summary>True when <paramref name="e"/> means the node could not be reached or did not answer in time.</summary>
    public static bool IsUnreachable(Exception e) =>
        e is HttpRequestException or RpcClientUnknownException or RpcClientTimeoutException;

    internal static MinedTransaction ToMined(TransactionReceipt receipt) => new(
        receipt.TransactionHash.ToLowerInvariant(),
        receipt.Status?.Value == 1,
        (long)receipt.BlockNumber.Value,
        (long)receipt.GasUsed.Value);
}
