using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Contracts.Extensions;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Registry.Chain.Contract;
using Registry.Hashing;
using Registry.Verification;

namespace Registry.Chain;

/// <summary>Reads one CredentialRegistry contract with eth_call and eth_getLogs.</summary>
public sealed class EthereumChainReader(Web3 web3, string contract) : IChainReader
{
    public string Contract { get; } = contract.ToLowerInvariant();

    public async Task<AnchorRecord?> GetAnchorAsync(Bytes32 root, CancellationToken cancellationToken = default)
    {
        var output = await web3.Eth.GetContractQueryHandler<AnchorOfFunction>()
            .QueryDeserializingToObjectAsync<AnchorOfOutput>(new AnchorOfFunction { Root = root.ToArray() }, Contract);
        return Units.Time(output.AnchoredAt) is { } at ? new AnchorRecord(output.Issuer.ToLowerInvariant(), at, output.Count) : null;
    }

    public async Task<IssuerRecord?> GetIssuerAsync(string address, CancellationToken cancellationToken = default)
    {
        var output = await web3.Eth.GetContractQueryHandler<IssuerOfFunction>()
            .QueryDeserializingToObjectAsync<IssuerOfOutput>(new IssuerOfFunction { Issuer = address }, Contract);
        return Units.Time(output.AddedAt) is { } added ? new IssuerRecord(output.Name, added, Units.Time(output.RemovedAt)) : null;
    }

    public async Task<RevocationRecord?> GetRevocationAsync(Bytes32 digest, CancellationToken cancellationToken = default)
    {
        var revokedAt = await web3.Eth.GetContractQueryHandler<RevokedAtFunction>()
            .QueryAsync<ulong>(Contract, new RevokedAtFunction { Digest = digest.ToArray() });
        if (Units.Time(revokedAt) is not { } at) return null;

        // The reason lives only in the event; the digest is an indexed topic, so one filtered query finds it.
        var logs = await LogsAsync<RevokedEvent>(digest);
        return logs.Count > 0
            ? new RevocationRecord(at, logs[0].Event.Reason, logs[0].Event.Issuer.ToLowerInvariant())
            : new RevocationRecord(at, null, null);
    }

    /// <summary>The contract's own one-call check: is the digest in an anchored root, by whom, when, and revoked since when.</summary>
    public async Task<(bool Included, string Issuer, DateTimeOffset? AnchoredAt, DateTimeOffset? RevokedAt)> VerifyAsync(
        Bytes32 digest, Bytes32 root, IReadOnlyList<Bytes32> proof)
    {
        var output = await web3.Eth.GetContractQueryHandler<VerifyFunction>().QueryDeserializingToObjectAsync<VerifyOutput>(
            new VerifyFunction { Digest = digest.ToArray(), Root = root.ToArray(), Proof = proof.Select(p => p.ToArray()).ToList() }, Contract);
        return (output.Included, output.Issuer.ToLowerInvariant(), Units.Time(output.AnchoredAt), Units.Time(output.RevokedAt));
    }

    /// <summary>The transaction that anchored <paramref name="root"/>, found through its Anchored event; null when none.</summary>
    public async Task<(string TransactionHash, long BlockNumber)?> FindAnchoringAsync(Bytes32 root)
    {
        var logs = await LogsAsync<AnchoredEvent>(root);
        if (logs.Count == 0) return null;
        return (logs[0].Log.TransactionHash.ToLowerInvariant(), (long)logs[0].Log.BlockNumber.Value);
    }

    /// <summary>The contract's <typeparamref name="TEvent"/> logs whose first indexed topic is <paramref name="topic"/>.</summary>
    private async Task<List<EventLog<TEvent>>> LogsAsync<TEvent>(Bytes32 topic) where TEvent : class, IEventDTO, new()
    {
        var signature = ABITypedRegistry.GetEvent<TEvent>().Sha3Signature;
        var filter = new NewFilterInput
        {
            Address = [Contract],
            FromBlock = BlockParameter.CreateEarliest(),
            ToBlock = BlockParameter.CreateLatest(),
            Topics = ["0x" + signature, topic.ToString()],
        };
        var logs = await web3.Eth.Filters.GetLogs.SendRequestAsync(filter);
        return logs.DecodeAllEvents<TEvent>();
    }
}
