using System.Numerics;
using Registry.Anchoring;
using Registry.Api.Storage;
using Registry.Chain;
using Registry.Hashing;

namespace Registry.Api.Anchoring;

/// <summary>The chain and contract the loop anchors in, and the confirmations it waits for there.</summary>
public sealed record AnchoringTarget(long ChainId, string Contract, int Confirmations);

/// <summary>
/// The chain as the anchoring loop uses it: the reads that answer the state machine's questions
/// (<see cref="BatchLife"/>, <see cref="RevocationLife"/>) and the writes that carry out its steps.
/// <see cref="NodeAnchoringChain"/> is the node's, through Nethereum.
/// </summary>
public interface IAnchoringChain
{
    /// <summary>Connects first if need be; throws <see cref="ChainUnavailableException"/> while the chain cannot be used.</summary>
    Task<AnchoringTarget> ConnectAsync(CancellationToken cancellationToken);

    /// <summary>True when <paramref name="e"/> means the node could not be reached or did not answer: a pause for everything, not a fault of one batch.</summary>
    bool IsUnreachable(Exception e);

    Task<long> GetHeadAsync();

    /// <summary><c>anchorOf(issuer, root)</c>: only the issuer's own anchor counts.</summary>
    Task<AnchorSeen> GetAnchorAsync(string issuer, Bytes32 root);

    /// <summary>The transaction whose <c>Anchored(issuer, root)</c> event is at or after <paramref name="fromBlock"/>; null when none is found.</summary>
    Task<string?> FindAnchoringAsync(string issuer, Bytes32 root, long fromBlock);

    /// <summary>The receipt of <paramref name="transactionHash"/>; null while it is not mined.</summary>
    Task<MinedTransaction?> GetMinedAsync(string transactionHash);

    /// <summary>The account's next nonce: counting its transactions in the node's pool, or only the mined ones.</summary>
    Task<long> GetNonceAsync(string address, bool pending);

    /// <summary>True when the node knows the transaction (mined or in its pool).</summary>
    Task<bool> IsKnownAsync(string transactionHash);

    /// <summary>True when the chain has <paramref name="issuer"/>'s revocation of <paramref name="digest"/>.</summary>
    Task<bool> IsRevokedAsync(string issuer, Bytes32 digest);

    /// <summary>The latest block's base fee and the tip to offer, in wei.</summary>
    Task<(BigInteger BaseFee, BigInteger Tip)> GetFeesAsync();

    /// <summary>Null when the issuer's account can pay <paramref name="costWei"/> (after a top-up, where configured); else what is missing.</summary>
    Task<string?> ShortfallAsync(IssuerEntity issuer, BigInteger costWei);

    /// <summary>Runs <paramref name="send"/> with the issuer's signer, alone among that issuer's transactions.</summary>
    Task AsIssuerAsync(IssuerEntity issuer, Func<IAnchorSigner, Task> send);

    /// <summary>Hands a signed transaction to the node.</summary>
    Task SendRawAsync(string signedTransaction);
}
