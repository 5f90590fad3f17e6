using Registry.Anchoring;
using static Registry.Anchoring.ChainQuestion;

namespace Registry.Tests.Anchoring;

/// <summary>
/// The batch's state machine against docs/DESIGN.md's crash-safety table, row by row: each test is
/// named after its row. No node: the chain is a set of answers, and each test also checks which
/// questions the machine asked of it, since every question is a call to the node.
/// </summary>
public sealed class BatchLifeTests
{
    private const string Issuer = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    private static readonly AnchoringRules Rules = new(Confirmations: 2, ReplaceAfterBlocks: 5);
    private static readonly DateTimeOffset AnchoredAt = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private const long Head = 100;

    private static readonly BatchFacts Sealed = new(BatchPhase.Sealed, Issuer);
    /// <summary>One transaction out, sent at the head two blocks ago, with nonce 7.</summary>
    private static readonly BatchFacts Submitted = new(BatchPhase.Submitted, Issuer, Nonce: 7, SentAtBlock: Head - 2, Attempts: 1);

    private static MinedTransaction Mined(long block, bool succeeded = true) => new("0xab", succeeded, block, 48_460);

    /// <summary>Everything the chain would answer; the machine is given only what it asks for.</summary>
    private sealed record ChainAnswers(
        AnchorSeen Anchor, MinedTransaction? Mined = null, long Head = Head, bool NonceUsed = false, bool Known = true);

    private static readonly ChainAnswers NothingOnChain = new(AnchorSeen.None);

    private static (BatchStep Step, List<ChainQuestion> Asked) Run(BatchFacts batch, ChainAnswers chain, AnchoringRules? rules = null)
    {
        var seen = ChainObservation.Nothing;
        var asked = new List<ChainQuestion>();
        var step = BatchLife.Next(batch, seen, rules ?? Rules);
        while (step is Observe observe)
        {
            Assert.DoesNotContain(observe.Question, asked); // an answer once given is never asked for again
            asked.Add(observe.Question);
            seen = observe.Question switch
            {
                ChainQuestion.Anchor => seen with { Anchor = chain.Anchor },
                Receipt => seen with { Receipt = new ReceiptSeen(chain.Mined) },
                ChainQuestion.Head => seen with { Head = chain.Head },
                NonceUsed => seen with { NonceUsed = chain.NonceUsed },
                Known => seen with { Known = chain.Known },
                _ => throw new ArgumentOutOfRangeException(nameof(batch)),
            };
            step = BatchLife.Next(batch, seen, rules ?? Rules);
        }
        return (step, asked);
    }

    // Row: sealed, root already anchored by this issuer.

    [Fact]
    public void Sealed_root_already_anchored_by_this_issuer_recovers_the_hash_from_the_event_and_sends_nothing()
    {
        var (step, asked) = Run(Sealed, NothingOnChain with { Anchor = AnchorSeen.At(AnchoredAt) });
        Assert.IsType<Recover>(step);
        Assert.Equal([ChainQuestion.Anchor], asked);
    }

    [Fact]
    public void Sealed_root_already_anchored_by_this_issuer_is_recovered_even_when_the_issuer_was_removed_since()
    {
        var (step, _) = Run(Sealed with { IssuerRemoved = true, IssuerTrustedUntil = AnchoredAt }, NothingOnChain with { Anchor = AnchorSeen.At(AnchoredAt) });
        Assert.IsType<Recover>(step);
    }

    // Row: sealed, root not on chain.

    [Fact]
    public void Sealed_root_not_on_chain_is_prepared_and_sent()
    {
        var (step, asked) = Run(Sealed, NothingOnChain);
        Assert.IsType<SendFirst>(step);
        Assert.Equal([ChainQuestion.Anchor], asked);
    }

    // Row: sealed, root not on chain, issuer removed.

    [Fact]
    public void Sealed_root_not_on_chain_issuer_removed_fails()
    {
        var (step, _) = Run(Sealed with { IssuerRemoved = true }, NothingOnChain);
        Assert.Equal("The issuer was removed before the batch could be anchored.", Assert.IsType<Fail>(step).Reason);
    }

    // Row: sealed, the contract refuses the transaction because the issuer is not admitted.

    [Theory]
    [InlineData("IssuerNotActive")]
    [InlineData("UnknownIssuer")]
    public void Sealed_contract_refuses_the_send_as_the_issuer_is_not_admitted_fails(string error)
    {
        var fail = BatchLife.AfterRefusedSend(error, $"The contract refused: {error}.");
        Assert.Equal($"The contract refused: {error}.", fail?.Reason);
    }

    [Theory]
    [InlineData("InvalidCount")]
    [InlineData(null)]
    public void Sealed_contract_refuses_the_send_for_another_reason_is_tried_again_later(string? error) =>
        Assert.Null(BatchLife.AfterRefusedSend(error, "refused"));

    // Row: submitted, none of its transactions mined, the node knows one.

    [Fact]
    public void Submitted_none_mined_the_node_knows_one_waits()
    {
        var (step, asked) = Run(Submitted, NothingOnChain);
        Assert.IsType<Wait>(step);
        Assert.Equal([Receipt, ChainQuestion.Head, NonceUsed, Known], asked);
    }

    [Fact]
    public void Submitted_none_mined_the_node_knows_one_is_replaced_after_the_configured_blocks()
    {
        Assert.IsType<Wait>(Run(Submitted with { SentAtBlock = Head - 4 }, NothingOnChain).Step);
        var (step, _) = Run(Submitted with { SentAtBlock = Head - 5 }, NothingOnChain);
        Assert.Equal(5, Assert.IsType<Replace>(step).WaitedBlocks);
    }

    [Fact]
    public void Submitted_none_mined_the_node_knows_one_is_not_replaced_without_a_nonce_to_keep()
    {
        var (step, asked) = Run(Submitted with { Nonce = null, SentAtBlock = Head - 50 }, NothingOnChain);
        Assert.IsType<Wait>(step);
        Assert.DoesNotContain(NonceUsed, asked);
    }

    // Row: submitted, the node knows none of them.

    [Fact]
    public void Submitted_the_node_knows_none_is_sent_again_with_its_nonce()
    {
        var (step, _) = Run(Submitted, NothingOnChain with { Known = false });
        var again = Assert.IsType<SendAgain>(step);
        Assert.True(again.SameNonce);
        Assert.Equal("The transaction was dropped by the node; sent again.", again.Reason);
    }

    [Fact]
    public void Submitted_the_node_knows_none_is_sent_with_a_new_nonce_when_it_had_none()
    {
        var (step, _) = Run(Submitted with { Nonce = null }, NothingOnChain with { Known = false });
        Assert.False(Assert.IsType<SendAgain>(step).SameNonce);
    }

    [Fact]
    public void Submitted_the_node_knows_none_fails_after_five_transactions()
    {
        Assert.IsType<SendAgain>(Run(Submitted with { Attempts = 4 }, NothingOnChain with { Known = false }).Step);
        var (step, _) = Run(Submitted with { Attempts = AnchoringRules.MaxTransactions }, NothingOnChain with { Known = false });
        Assert.Equal("The transaction was dropped by the node. Gave up after 5 transactions.", Assert.IsType<Fail>(step).Reason);
    }

    // Row: submitted, its nonce used by another transaction and the root not anchored.

    [Fact]
    public void Submitted_nonce_used_by_another_transaction_root_not_anchored_is_sealed_again_for_a_new_nonce()
    {
        var (step, asked) = Run(Submitted, NothingOnChain with { NonceUsed = true });
        Assert.Equal($"Nonce 7 of {Issuer} was used by another transaction.", Assert.IsType<StartOver>(step).Reason);
        Assert.Equal([Receipt, ChainQuestion.Head, NonceUsed, ChainQuestion.Anchor], asked);
    }

    [Fact]
    public void Submitted_nonce_used_by_another_transaction_root_not_anchored_fails_after_five_transactions()
    {
        var (step, _) = Run(Submitted with { Attempts = 5 }, NothingOnChain with { NonceUsed = true });
        Assert.EndsWith("Gave up after 5 transactions.", Assert.IsType<Fail>(step).Reason);
    }

    // Row: submitted, its nonce used and the root anchored by this issuer (the receipt not visible yet).

    [Fact]
    public void Submitted_nonce_used_root_anchored_by_this_issuer_recovers_the_hash_from_the_event()
    {
        var (step, _) = Run(Submitted, NothingOnChain with { NonceUsed = true, Anchor = AnchorSeen.At(AnchoredAt) });
        Assert.IsType<Recover>(step);
    }

    // Row: submitted, receipt failed, or the root vanished before confirmation (reorganisation).

    [Fact]
    public void Submitted_receipt_failed_is_sent_again()
    {
        var (step, asked) = Run(Submitted, NothingOnChain with { Mined = Mined(Head, succeeded: false) });
        Assert.Equal("Transaction 0xab failed.", Assert.IsType<StartOver>(step).Reason);
        Assert.Equal([Receipt, ChainQuestion.Head], asked);
    }

    [Fact]
    public void Submitted_root_vanished_before_confirmation_is_sent_again()
    {
        var (step, asked) = Run(Submitted, NothingOnChain with { Mined = Mined(Head - 2) });
        Assert.Equal("The anchoring block was undone by a reorganisation.", Assert.IsType<StartOver>(step).Reason);
        Assert.Equal([Receipt, ChainQuestion.Head, ChainQuestion.Anchor], asked);
    }

    [Fact]
    public void Submitted_receipt_failed_or_root_vanished_fails_after_five_transactions()
    {
        var exhausted = Submitted with { Attempts = 5 };
        Assert.Equal("Transaction 0xab failed. Gave up after 5 transactions.",
            Assert.IsType<Fail>(Run(exhausted, NothingOnChain with { Mined = Mined(Head, succeeded: false) }).Step).Reason);
        Assert.Equal("The anchoring block was undone by a reorganisation. Gave up after 5 transactions.",
            Assert.IsType<Fail>(Run(exhausted, NothingOnChain with { Mined = Mined(Head - 2) }).Step).Reason);
    }

    // Row: submitted, one of its transactions mined.

    [Fact]
    public void Submitted_one_mined_waits_for_its_confirmations()
    {
        var (step, asked) = Run(Submitted, NothingOnChain with { Mined = Mined(Head - 1), Anchor = AnchorSeen.At(AnchoredAt) });
        var track = Assert.IsType<Track>(step);
        Assert.Equal(1, track.Confirmations);
        Assert.Equal(Head - 1, track.Mined.BlockNumber);
        Assert.Equal([Receipt, ChainQuestion.Head], asked); // the anchor is read once, when the confirmations are there
    }

    [Fact]
    public void Submitted_one_mined_is_anchored_once_confirmed()
    {
        var (step, asked) = Run(Submitted, NothingOnChain with { Mined = Mined(Head - 2), Anchor = AnchorSeen.At(AnchoredAt) });
        var anchored = Assert.IsType<MarkAnchored>(step);
        Assert.Equal((2, AnchoredAt, false), (anchored.Confirmations, anchored.AnchoredAt, anchored.Voided));
        Assert.Equal([Receipt, ChainQuestion.Head, ChainQuestion.Anchor], asked);
    }

    [Fact]
    public void Submitted_one_mined_is_anchored_at_once_without_confirmations_required()
    {
        var (step, _) = Run(Submitted, NothingOnChain with { Mined = Mined(Head), Anchor = AnchorSeen.At(AnchoredAt) }, Rules with { Confirmations = 0 });
        Assert.Equal(0, Assert.IsType<MarkAnchored>(step).Confirmations);
    }

    [Fact]
    public void Submitted_one_mined_counts_only_the_confirmations_required()
    {
        var (step, _) = Run(Submitted, NothingOnChain with { Mined = Mined(Head - 40), Anchor = AnchorSeen.At(AnchoredAt) });
        Assert.Equal(2, Assert.IsType<MarkAnchored>(step).Confirmations);
    }

    // Row: submitted, mined and confirmed after the issuer's trust ended (a compromise removal).

    [Fact]
    public void Submitted_mined_after_the_issuers_trust_ended_is_anchored_void()
    {
        var removed = Submitted with { IssuerRemoved = true, IssuerTrustedUntil = AnchoredAt.AddSeconds(-1) };
        var (step, _) = Run(removed, NothingOnChain with { Mined = Mined(Head - 2), Anchor = AnchorSeen.At(AnchoredAt) });
        Assert.True(Assert.IsType<MarkAnchored>(step).Voided);

        var trusted = Submitted with { IssuerRemoved = true, IssuerTrustedUntil = AnchoredAt };
        Assert.False(Assert.IsType<MarkAnchored>(Run(trusted, NothingOnChain with { Mined = Mined(Head - 2), Anchor = AnchorSeen.At(AnchoredAt) }).Step).Voided);
    }

    [Fact]
    public void The_machine_lives_in_an_assembly_that_references_no_store_chain_client_or_web_framework()
    {
        var referenced = typeof(BatchLife).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("System.Runtime", referenced); // the list is real
        Assert.DoesNotContain(referenced, name => name.StartsWith("LiteDB", StringComparison.Ordinal)
            || name.StartsWith("Nethereum", StringComparison.Ordinal) || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
