using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Registry.Audit;
using Registry.Chain.Contract;
using Registry.Verification;

namespace Registry.Chain;

/// <summary>Reads and decodes the contract's events straight from the chain, for auditors.</summary>
public sealed class RegistryEventLog(ChainConnection connection, string contract)
{
    private static readonly string AddedTopic = Topic<IssuerAddedEvent>();
    private static readonly string RemovedTopic = Topic<IssuerRemovedEvent>();
    private static readonly string AnchoredTopic = Topic<AnchoredEvent>();
    private static readonly string RevokedTopic = Topic<RevokedEvent>();

    public string Contract { get; } = contract.ToLowerInvariant();

    /// <summary>
    /// Every registry event from <paramref name="fromBlock"/> to <paramref name="toBlock"/> (inclusive),
    /// in chain order. <paramref name="issuerTopic"/> and <paramref name="types"/> narrow the query on the node.
    /// </summary>
    public async Task<IReadOnlyList<RegistryEvent>> ReadAsync(long fromBlock, long toBlock, string? issuer = null, params string[] types)
    {
        var wanted = types.Length == 0
            ? [AddedTopic, RemovedTopic, AnchoredTopic, RevokedTopic]
            : types.Select(TopicOf).ToArray();
        var filter = new NewFilterInput
        {
            Address = [Contract],
            FromBlock = new BlockParameter(new HexBigInteger(fromBlock)),
            ToBlock = new BlockParameter(new HexBigInteger(toBlock)),
            Topics = [wanted],
        };
        var logs = await connection.Reader.Eth.Filters.GetLogs.SendRequestAsync(filter);

        var blocks = new Dictionary<long, ChainPoint>();
        var events = new List<RegistryEvent>(logs.Length);
        foreach (var log in logs.OrderBy(l => l.BlockNumber.Value).ThenBy(l => l.LogIndex.Value))
        {
            var number = (long)log.BlockNumber.Value;
            if (!blocks.TryGetValue(number, out var block))
                blocks[number] = block = await connection.GetBlockAsync(number) ?? throw new ChainReorganizedException(number);
            // The log's block is no longer the chain's block of that number: a reorganisation happened while reading.
            if (!string.Equals(block.Hash, log.BlockHash, StringComparison.OrdinalIgnoreCase)) throw new ChainReorganizedException(number);
            var decoded = Decode(log, number, block.Time, block.Hash);
            if (decoded is not null && (issuer is null || string.Equals(decoded.Issuer, issuer, StringComparison.OrdinalIgnoreCase)))
                events.Add(decoded);
        }
        return events;
    }

    /// <summary>
    /// Every registry event from <paramref name="fromBlock"/> to <paramref name="toBlock"/>, read in ranges
    /// of at most <paramref name="range"/> blocks (public RPC providers refuse unbounded log scans), a
    /// quarter as many after a refusal.
    /// </summary>
    public async Task<IReadOnlyList<RegistryEvent>> ReadInRangesAsync(long fromBlock, long toBlock, int range = 10_000)
    {
        var events = new List<RegistryEvent>();
        for (var from = fromBlock; from <= toBlock;)
        {
            var to = Math.Min(toBlock, from + range - 1);
            try
            {
                events.AddRange(await ReadAsync(from, to));
                from = to + 1;
            }
            catch (Nethereum.JsonRpc.Client.RpcResponseException) when (range > 16)
            {
                range = Math.Max(16, range / 4);
            }
        }
        return events;
    }

    private static RegistryEvent? Decode(FilterLog log, long block, DateTimeOffset time, string blockHash)
    {
        var topic = log.Topics[0]?.ToString();
        var at = (Block: block, Index: (long)log.LogIndex.Value, Tx: log.TransactionHash.ToLowerInvariant(), Time: time);
        if (topic == AddedTopic)
        {
            var e = log.DecodeEvent<IssuerAddedEvent>().Event;
            return new RegistryEvent(RegistryEventTypes.IssuerAdded, at.Block, at.Index, at.Tx, at.Time, e.Issuer.ToLowerInvariant(), Name: e.Name,
                BlockHash: blockHash, SigningKey: Hex(e.SigningKey));
        }
        if (topic == RemovedTopic)
        {
            var e = log.DecodeEvent<IssuerRemovedEvent>().Event;
            return new RegistryEvent(RegistryEventTypes.IssuerRemoved, at.Block, at.Index, at.Tx, at.Time, e.Issuer.ToLowerInvariant(),
                TrustedUntil: DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(e.TrustedUntil, 253402300799UL)), BlockHash: blockHash);
        }
        if (topic == AnchoredTopic)
        {
            var e = log.DecodeEvent<AnchoredEvent>().Event;
            return new RegistryEvent(RegistryEventTypes.Anchored, at.Block, at.Index, at.Tx, at.Time, e.Issuer.ToLowerInvariant(),
                Root: Hex(e.Root), Count: e.Count, BlockHash: blockHash);
        }
        if (topic == RevokedTopic)
        {
            var e = log.DecodeEvent<RevokedEvent>().Event;
            return new RegistryEvent(RegistryEventTypes.Revoked, at.Block, at.Index, at.Tx, at.Time, e.Issuer.ToLowerInvariant(),
                Root: Hex(e.Root), Digest: Hex(e.Digest), Reason: e.Reason, BlockHash: blockHash);
        }
        return null; // Ownership events and anything else the contract may emit.
    }

    private static string TopicOf(string type) => type switch
    {
        RegistryEventTypes.IssuerAdded => AddedTopic,
        RegistryEventTypes.IssuerRemoved => RemovedTopic,
        RegistryEventTypes.Anchored => AnchoredTopic,
        RegistryEventTypes.Revoked => RevokedTopic,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown event type."),
    };

    private static string Topic<TEvent>() where TEvent : IEventDTO => "0x" + ABITypedRegistry.GetEvent<TEvent>().Sha3Signature;

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);
}

/// <summary>The chain changed under a read: a block's hash is no longer the one its logs came with.</summary>
public sealed class ChainReorganizedException(long blockNumber)
    : Exception($"Block {blockNumber} changed while it was read: the chain was reorganised.")
{
    public long BlockNumber { get; } = blockNumber;
}
