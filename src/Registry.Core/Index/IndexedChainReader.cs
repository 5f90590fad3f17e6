using Registry.Hashing;
using Registry.Verification;

namespace Registry.Index;

/// <summary>
/// Answers a verifier from the index while the index is fresh (<paramref name="isFresh"/>: it has
/// followed the chain to within the allowed staleness), and from the node otherwise. What the index
/// has not seen (a root anchored a moment ago, a forged root) is asked of the node too: an absence
/// proves nothing, a recorded anchor or revocation stays true. When the index is stale and the node
/// cannot answer, an anchor the index knows still stands, but its verdict says the revocation status
/// is unconfirmed, and the revocation check fails closed.
/// </summary>
public sealed class IndexedChainReader(ChainIndex index, IChainReader node, Func<bool> isFresh) : IChainReader
{
    public Task<long> GetChainIdAsync(CancellationToken cancellationToken = default) => node.GetChainIdAsync(cancellationToken);

    public async Task<ChainVerdict> VerifyAsync(string issuer, Bytes32 root, Bytes32 digest, IReadOnlyList<Bytes32> proof,
        CancellationToken cancellationToken = default)
    {
        if (isFresh() && index.Verify(issuer, root, digest, proof) is { } known) return known;
        try
        {
            return await node.VerifyAsync(issuer, root, digest, proof, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested && index.Verify(issuer, root, digest, proof) is { } stale)
        {
            return stale with { RevocationUnconfirmed = stale.RevokedAt is null };
        }
    }

    public async Task<AnchoringReceipt?> GetAnchoringReceiptAsync(string transactionHash, CancellationToken cancellationToken = default) =>
        index.ReceiptOf(transactionHash) ?? await node.GetAnchoringReceiptAsync(transactionHash, cancellationToken);

    public async Task<AnchorRecord?> GetAnchorAsync(string issuer, Bytes32 root, CancellationToken cancellationToken = default) =>
        index.AnchorOf(issuer, root) is { } anchor
            ? new AnchorRecord(anchor.AnchoredAt, anchor.Count)
            : await node.GetAnchorAsync(issuer, root, cancellationToken);

    public async Task<IssuerRecord?> GetIssuerAsync(string issuer, CancellationToken cancellationToken = default)
    {
        if (isFresh() && index.IssuerOf(issuer) is { } known) return known;
        try
        {
            return await node.GetIssuerAsync(issuer, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested && index.IssuerOf(issuer) is { } stale)
        {
            return stale;
        }
    }

    public async Task<RevocationRecord?> GetRevocationAsync(string issuer, Bytes32 digest, CancellationToken cancellationToken = default)
    {
        if (index.RevocationOf(issuer, digest) is { } known) return known;
        return isFresh() ? null : await node.GetRevocationAsync(issuer, digest, cancellationToken);
    }
}
