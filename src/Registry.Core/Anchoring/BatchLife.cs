namespace Registry.Anchoring;

/// <summary>A transaction as its receipt shows it once mined.</summary>
public sealed record MinedTransaction(string Hash, bool Succeeded, long BlockNumber, long GasUsed);

/// <summary>The two states in which a batch still moves: no transaction out yet, or one (or more, sharing a nonce) out.</summary>
public enum BatchPhase
{
    /// <summary>Root and members stored; no transaction is known to be out for it.</summary>
    Sealed,
    /// <summary>Its transactions' hashes are stored; waiting for one of them to be mined and confirmed.</summary>
    Submitted,
}

/// <summary>What the state machine knows of a stored batch and of its issuer.</summary>
/// <param name="Nonce">The nonce its transactions share, once one was signed.</param>
/// <param name="SentAtBlock">The chain's head when its latest transaction was sent.</param>
/// <param name="Attempts">The transactions sent for it that counted (a replacement does not).</param>
/// <param name="IssuerTrustedUntil">Set when the issuer was removed: anchors after it are void.</param>
public sealed record BatchFacts(
    BatchPhase Phase,
    string IssuerAddress,
    long? Nonce = null,
    long? SentAtBlock = null,
    int Attempts = 0,
    bool IssuerRemoved = false,
    DateTimeOffset? IssuerTrustedUntil = null);

/// <summary>The settings the batch's life depends on.</summary>
/// <param name="Confirmations">Blocks on top of the anchoring block before the batch counts as anchored.</param>
/// <param name="ReplaceAfterBlocks">Blocks a transaction may wait in the pool before it is replaced with a higher tip.</param>
public sealed record AnchoringRules(int Confirmations, int ReplaceAfterBlocks)
{
    /// <summary>Transactions a batch may use up (dropped, failed, undone) before it is given up.</summary>
    public const int MaxTransactions = 5;
}

/// <summary>What the machine asks of the chain when it cannot decide without it.</summary>
public enum ChainQuestion
{
    /// <summary>Has the batch's issuer anchored its root, and when (<c>anchorOf(issuer, root)</c>)?</summary>
    Anchor,
    /// <summary>Is any of the batch's transactions mined, and how did it end?</summary>
    Receipt,
    /// <summary>The chain's latest block number.</summary>
    Head,
    /// <summary>Has the account's mined nonce passed the batch's nonce (some transaction of the account used it)?</summary>
    NonceUsed,
    /// <summary>Does the node know any of the batch's transactions (mined or waiting in its pool)?</summary>
    Known,
}

/// <summary>What the chain says of the batch's anchor: <see cref="None"/>, or anchored at a time.</summary>
public sealed record AnchorSeen(DateTimeOffset? AnchoredAt)
{
    public static readonly AnchorSeen None = new((DateTimeOffset?)null);

    public static AnchorSeen At(DateTimeOffset anchoredAt) => new(anchoredAt);
}

/// <summary>What the node says of the batch's transactions: <see cref="NoneMined"/>, or the one that was mined.</summary>
public sealed record ReceiptSeen(MinedTransaction? Mined)
{
    public static readonly ReceiptSeen NoneMined = new((MinedTransaction?)null);
}

/// <summary>
/// What has been read of the chain for one batch in one round; null where it has not been read. The
/// machine asks for each answer only when its decision depends on it, since a public RPC provider
/// counts every call.
/// </summary>
public sealed record ChainObservation
{
    public static readonly ChainObservation Nothing = new();

    public AnchorSeen? Anchor { get; init; }
    public ReceiptSeen? Receipt { get; init; }
    public long? Head { get; init; }
    public bool? NonceUsed { get; init; }
    public bool? Known { get; init; }
}

/// <summary>What to do next with a batch. The loop performs it and stores the result; the machine does no I/O.</summary>
public abstract record BatchStep;

/// <summary>Read <paramref name="Question"/> from the chain, then ask the machine again.</summary>
public sealed record Observe(ChainQuestion Question) : BatchStep;

/// <summary>Prepare and send the batch's first transaction, with the account's next nonce.</summary>
public sealed record SendFirst : BatchStep;

/// <summary>The node knows none of the batch's transactions: send one again (with its nonce, when it has one), counted as an attempt.</summary>
public sealed record SendAgain(bool SameNonce, string Reason) : BatchStep;

/// <summary>The transaction has waited <paramref name="WaitedBlocks"/> blocks in the pool: replace it (same nonce, higher fees), not counted as an attempt.</summary>
public sealed record Replace(long WaitedBlocks) : BatchStep;

/// <summary>The root is anchored by this issuer but the batch lost track of the transaction: find it by its <c>Anchored</c> event, searched from where the batch was sent.</summary>
public sealed record Recover : BatchStep;

/// <summary>Nothing to do this round: its transaction waits in the pool.</summary>
public sealed record Wait : BatchStep;

/// <summary>A transaction of the batch is mined and has <paramref name="Confirmations"/> of the blocks it needs on top: record them and wait.</summary>
public sealed record Track(MinedTransaction Mined, int Confirmations) : BatchStep;

/// <summary>Mined, confirmed and still on chain: the batch is anchored (void, when after its issuer's trust ended).</summary>
public sealed record MarkAnchored(MinedTransaction Mined, int Confirmations, DateTimeOffset AnchoredAt, bool Voided) : BatchStep;

/// <summary>Forget the batch's transactions and return it to sealed, to be sent afresh with a new nonce.</summary>
public sealed record StartOver(string Reason) : BatchStep;

/// <summary>The batch cannot be anchored: its credentials show failed with the reason, and the issuer may seal them again.</summary>
public sealed record Fail(string Reason) : BatchStep;

/// <summary>
/// A batch's life as a pure function: its stored state and what has been read of the chain in, the
/// next step out. The anchoring loop asks, reads what it is asked for, asks again, and performs the
/// step it gets; every rule of docs/DESIGN.md's crash-safety table is here, none in the loop.
/// </summary>
/// <remarks>
/// <code>
///             SendFirst, Recover
///   sealed ─────────────────────────▶ submitted ────────────────▶ anchored
///     │  ◀───────────────────────────   │   ▲      MarkAnchored   (void when mined after
///     │           StartOver             │   │                      the issuer's trustedUntil)
///     │                                 └───┘ Wait, Track, Replace, SendAgain, Recover
///     │ Fail                            │ Fail
///     ▼                                 │
///   failed ◀────────────────────────────┘
///     │ POST /batches/{id}/reseal
///     ▼
///   resealed: its credentials are sealed again, into a new batch
/// </code>
/// </remarks>
public static class BatchLife
{
    public static BatchStep Next(BatchFacts batch, ChainObservation seen, AnchoringRules rules) =>
        batch.Phase == BatchPhase.Sealed ? FromSealed(batch, seen) : FromSubmitted(batch, seen, rules);

    /// <summary>
    /// A send the contract refuses: the batch fails when the refusal can never change (its issuer is not,
    /// or no longer, admitted); null when it is worth trying again later.
    /// </summary>
    public static Fail? AfterRefusedSend(string? contractError, string message) =>
        contractError is "IssuerNotActive" or "UnknownIssuer" ? new Fail(message) : null;

    private static BatchStep FromSealed(BatchFacts batch, ChainObservation seen)
    {
        // Checked before the issuer's removal: a batch sent just before it was removed is recovered, not failed.
        if (seen.Anchor is null) return new Observe(ChainQuestion.Anchor);
        if (seen.Anchor.AnchoredAt is not null) return new Recover();
        if (batch.IssuerRemoved) return new Fail("The issuer was removed before the batch could be anchored.");
        return new SendFirst();
    }

    private static BatchStep FromSubmitted(BatchFacts batch, ChainObservation seen, AnchoringRules rules)
    {
        if (seen.Receipt is null) return new Observe(ChainQuestion.Receipt);
        if (seen.Head is not { } head) return new Observe(ChainQuestion.Head);
        if (seen.Receipt.Mined is not { } mined) return FromPending(batch, seen, rules, head);
        if (!mined.Succeeded) return StartOverOrFail(batch, $"Transaction {mined.Hash} failed.");

        var confirmations = (int)Math.Min(head - mined.BlockNumber, rules.Confirmations);
        if (head < mined.BlockNumber + rules.Confirmations) return new Track(mined, confirmations);
        if (seen.Anchor is null) return new Observe(ChainQuestion.Anchor);
        if (seen.Anchor.AnchoredAt is not { } anchoredAt) return StartOverOrFail(batch, "The anchoring block was undone by a reorganisation.");
        // Mined after its issuer was removed as compromised: on record, but void.
        var voided = batch.IssuerTrustedUntil is { } trustedUntil && anchoredAt > trustedUntil;
        return new MarkAnchored(mined, confirmations, anchoredAt, voided);
    }

    /// <summary>
    /// None of the batch's transactions is mined: its nonce went to another transaction (or to this one,
    /// whose receipt was not visible a moment ago), the node dropped them all, or one waits in the pool.
    /// </summary>
    private static BatchStep FromPending(BatchFacts batch, ChainObservation seen, AnchoringRules rules, long head)
    {
        if (batch.Nonce is { } nonce)
        {
            if (seen.NonceUsed is not { } used) return new Observe(ChainQuestion.NonceUsed);
            if (used)
            {
                if (seen.Anchor is null) return new Observe(ChainQuestion.Anchor);
                return seen.Anchor.AnchoredAt is not null
                    ? new Recover()
                    : StartOverOrFail(batch, $"Nonce {nonce} of {batch.IssuerAddress} was used by another transaction.");
            }
        }
        if (seen.Known is not { } known) return new Observe(ChainQuestion.Known);
        if (!known)
            return batch.Attempts >= AnchoringRules.MaxTransactions
                ? new Fail($"The transaction was dropped by the node. Gave up after {batch.Attempts} transactions.")
                : new SendAgain(SameNonce: batch.Nonce is not null, "The transaction was dropped by the node; sent again.");
        if (batch.SentAtBlock is { } sentAt && head - sentAt >= rules.ReplaceAfterBlocks && batch.Nonce is not null)
            return new Replace(head - sentAt);
        return new Wait();
    }

    private static BatchStep StartOverOrFail(BatchFacts batch, string reason) =>
        batch.Attempts >= AnchoringRules.MaxTransactions
            ? new Fail($"{reason} Gave up after {batch.Attempts} transactions.")
            : new StartOver(reason);
}
