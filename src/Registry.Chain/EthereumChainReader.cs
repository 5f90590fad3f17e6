using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Registry.Chain.Contract;
using Registry.Hashing;
using Registry.Verification;

namespace Registry.Chain;

/// <summary>Reads one CredentialRegistry contract (version 2) with eth_call, receipts and bounded eth_getLogs.</summary>
public sealed class EthereumChainReader(Web3 web3, string contract) : IChainReader
{
    private static readonly string AnchoredTopic = "0x" + ABITypedRegistry.GetEvent<AnchoredEvent>().Sha3Signature;
    private static readonly string RevokedTopic = "0x" + ABITypedRegistry.GetEvent<RevokedEvent>().Sha3Signature;

    public string Contract { get; } = contract.ToLowerInvariant();

    public async Task<long> GetChainIdAsync(CancellationToken cancellationToken = default) =>
        (long)(await web3.Eth.ChainId.SendRequestAsync()).Value;

    public async Task<ChainVerdict> VerifyAsync(string issuer, Bytes32 root, Bytes32 digest, IReadOnlyList<Bytes32> proof, CancellationToken cancellationToken = default)
    {
        // Asked at one block, so that the answer can say which block it is true as of.
        var head = await ChainConnection.GetBlockAsync(web3, null);
        var output = await web3.Eth.GetContractQueryHandler<VerifyFunction>().QueryDeserializingToObjectAsync<VerifyOutput>(new VerifyFunction
        {
            Issuer = issuer, Root = root.ToArray(), Digest = digest.ToArray(), Proof = proof.Select(p => p.ToArray()).ToList(),
        }, Contract, head is null ? BlockParameter.CreateLatest() : new BlockParameter(new HexBigInteger(head.Number)));
        return new ChainVerdict(output.Included, Units.Time(output.AnchoredAt), output.Count, output.IssuerTrusted, Units.Time(output.RevokedAt), head);
    }

    public async Task<AnchoringReceipt?> GetAnchoringReceiptAsync(string transactionHash, CancellationToken cancellationToken = default)
    {
        var receipt = await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(transactionHash);
        if (receipt is null || receipt.Status?.Value != 1) return null;
        var anchors = (receipt.Logs ?? [])
            .Where(log => string.Equals(log.Address, Contract, StringComparison.OrdinalIgnoreCase) && log.Topics is { Length: 3 }
                && string.Equals(log.Topics[0]?.ToString(), AnchoredTopic, StringComparison.OrdinalIgnoreCase))
            .Select(log => log.DecodeEvent<AnchoredEvent>().Event)
            .Select(e => (e.Issuer.ToLowerInvariant(), Bytes32.FromSpan(e.Root)))
            .ToList();
        return new AnchoringReceipt(receipt.TransactionHash.ToLowerInvariant(), (long)receipt.BlockNumber.Value, anchors);
    }

    public async Task<AnchorRecord?> GetAnchorAsync(string issuer, Bytes32 root, CancellationToken cancellationToken = default)
    {
        var output = await Query<AnchorOfFunction, AnchorOfOutput>(new AnchorOfFunction { Issuer = issuer, Root = root.ToArray() });
        return Units.Time(output.AnchoredAt) is { } at ? new AnchorRecord(at, output.Count) : null;
    }

    public async Task<IssuerRecord?> GetIssuerAsync(string issuer, CancellationToken cancellationToken = default)
    {
        var output = await Query<IssuerOfFunction, IssuerOfOutput>(new IssuerOfFunction { Issuer = issuer });
        if (Units.Time(output.AddedAt) is not { } added) return null;
        // trustedUntil means something only once the issuer is removed.
        var removed = Units.Time(output.RemovedAt);
        return new IssuerRecord(output.Name, added, removed, removed is null ? null : Units.Time(output.TrustedUntil));
    }

    public async Task<RevocationRecord?> GetRevocationAsync(string issuer, Bytes32 digest, CancellationToken cancellationToken = default)
    {
        var output = await Query<RevocationOfFunction, RevocationOfOutput>(new RevocationOfFunction { Issuer = issuer, Digest = digest.ToArray() });
        if (Units.Time(output.RevokedAt) is not { } at) return null;

        // The reason lives only in the event: read the one block the contract names, filtered by issuer and digest.
        var block = (long)output.BlockNumber;
        var logs = await LogsAsync<RevokedEvent>(block, block, RevokedTopic, Topic(issuer), digest.ToString());
        return new RevocationRecord(at, block, logs.Count > 0 ? logs[0].Event.Reason : null);
    }

    /// <summary>
    /// The transaction in which <paramref name="issuer"/> anchored <paramref name="root"/>, searched
    /// from <paramref name="fromBlock"/>: for a registry that stopped after sending but before storing the hash.
    /// </summary>
    public async Task<(string TransactionHash, long BlockNumber)?> FindAnchoringAsync(string issuer, Bytes32 root, long fromBlock)
    {
        var latest = (long)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var logs = await LogsAsync<AnchoredEvent>(Math.Min(fromBlock, latest), latest, AnchoredTopic, Topic(issuer), root.ToString());
        if (logs.Count == 0) return null;
        return (logs[0].Log.TransactionHash.ToLowerInvariant(), (long)logs[0].Log.BlockNumber.Value);
    }

    /// <summary>The contract's owner: the operator account that admits and removes issuers.</summary>
    public async Task<string> GetOwnerAsync() =>
        (await web3.Eth.GetContractQueryHandler<OwnerFunction>().QueryAsync<string>(Contract, new OwnerFunction())).ToLowerInvariant();

    /// <summary>The contract's version constant; 0 when the contract has none (version 1).</summary>
    public async Task<int> GetVersionAsync()
    {
        try
        {
            return (int)await web3.Eth.GetContractQueryHandler<VersionFunction>().QueryAsync<System.Numerics.BigInteger>(Contract, new VersionFunction());
        }
        catch (Exception e) when (!ChainConnection.IsUnreachable(e))
        {
            return 0;
        }
    }

    private Task<TOutput> Query<TFunction, TOutput>(TFunction function)
        where TFunction : FunctionMessage, new() where TOutput : Nethereum.ABI.FunctionEncoding.Attributes.IFunctionOutputDTO, new() =>
        web3.Eth.GetContractQueryHandler<TFunction>().QueryDeserializingToObjectAsync<TOutput>(function, Contract);

    private async Task<List<EventLog<TEvent>>> LogsAsync<TEvent>(long fromBlock, long toBlock, params object[] topics)
        where TEvent : class, Nethereum.ABI.FunctionEncoding.Attributes.IEventDTO, new()
    {
        var filter = new NewFilterInput
        {
            Address = [Contract],
            FromBlock = new BlockParameter(new HexBigInteger(fromBlock)),
            ToBlock = new BlockParameter(new HexBigInteger(toBlock)),
            Topics = topics,
        };
        var logs = await web3.Eth.Filters.GetLogs.SendRequestAsync(filter);
        return logs.DecodeAllEvents<TEvent>();
    }

    /// <summary>An address as a 32-byte log topic.</summary>
    private static string Topic(string address) => "0x" + new string('0', 24) + address[2..].ToLowerInvariant();
}
