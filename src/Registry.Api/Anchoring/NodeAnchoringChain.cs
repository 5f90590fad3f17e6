using System.Numerics;
using Registry.Anchoring;
using Registry.Api.Issuers;
using Registry.Api.Storage;
using Registry.Chain;
using Registry.Hashing;

namespace Registry.Api.Anchoring;

/// <summary>The anchoring loop's chain on a real node: the registry's connection and contract reader, and the issuers' accounts.</summary>
public sealed class NodeAnchoringChain(RegistryChain chain, IssuerAccounts accounts, IssuerFunding funding) : IAnchoringChain
{
    private ChainState State => chain.Current ?? throw new ChainUnavailableException("The registry has not reached its chain yet.");

    public async Task<AnchoringTarget> ConnectAsync(CancellationToken cancellationToken)
    {
        var state = await chain.GetAsync(cancellationToken);
        return new AnchoringTarget(state.ChainId, state.Contract, state.Confirmations);
    }

    public bool IsUnreachable(Exception e) =>
        e is TaskCanceledException or TimeoutException or ChainUnavailableException || ChainConnection.IsUnreachable(e);

    public Task<long> GetHeadAsync() => chain.Connection.GetBlockNumberAsync();

    public async Task<AnchorSeen> GetAnchorAsync(string issuer, Bytes32 root) =>
        await State.Reader.GetAnchorAsync(issuer, root) is { } anchor ? AnchorSeen.At(anchor.AnchoredAt) : AnchorSeen.None;

    public async Task<string?> FindAnchoringAsync(string issuer, Bytes32 root, long fromBlock) =>
        (await State.Reader.FindAnchoringAsync(issuer, root, fromBlock))?.TransactionHash;

    public Task<MinedTransaction?> GetMinedAsync(string transactionHash) => chain.Connection.GetMinedAsync(transactionHash);

    public Task<long> GetNonceAsync(string address, bool pending) => chain.Connection.GetNonceAsync(address, pending);

    public Task<bool> IsKnownAsync(string transactionHash) => chain.Connection.IsKnownAsync(transactionHash);

    public async Task<bool> IsRevokedAsync(string issuer, Bytes32 digest) => await State.Reader.GetRevocationAsync(issuer, digest) is not null;

    public Task<(BigInteger BaseFee, BigInteger Tip)> GetFeesAsync() => chain.Connection.GetFeesAsync();

    public Task<string?> ShortfallAsync(IssuerEntity issuer, BigInteger costWei) => funding.ShortfallAsync(issuer, State, costWei);

    public Task AsIssuerAsync(IssuerEntity issuer, Func<IAnchorSigner, Task> send) =>
        accounts.SendAsync(issuer, State, async writer =>
        {
            await send(writer);
            return true;
        });

    public Task SendRawAsync(string signedTransaction) => chain.Connection.SendRawAsync(signedTransaction);
}
