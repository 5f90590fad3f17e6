using Registry.Anchoring;

namespace Registry.Tests.Anchoring;

/// <summary>A revocation's state machine against docs/DESIGN.md's table of revocations, row by row.</summary>
public sealed class RevocationLifeTests
{
    private const int Confirmations = 2;

    /// <summary>The step, asking the chain only when the machine says so; null for "not asked".</summary>
    private static (RevocationStep Step, bool Asked) Run(long? block, long head, bool onChain)
    {
        var step = RevocationLife.Next(block, head, Confirmations, onChain: null);
        if (step != RevocationStep.ObserveRevocation) return (step, false);
        return (RevocationLife.Next(block, head, Confirmations, onChain), true);
    }

    [Fact]
    public void Revoking_block_without_its_confirmations_waits_and_asks_nothing()
    {
        Assert.Equal((RevocationStep.Wait, false), Run(block: 99, head: 100, onChain: true));
        Assert.Equal((RevocationStep.Wait, false), Run(block: 99, head: 100, onChain: false));
    }

    [Fact]
    public void Revoking_confirmed_and_still_on_chain_is_revoked() =>
        Assert.Equal((RevocationStep.Confirm, true), Run(block: 98, head: 100, onChain: true));

    [Fact]
    public void Revoking_confirmed_but_gone_from_the_chain_is_cleared_and_can_be_revoked_again() =>
        Assert.Equal((RevocationStep.Clear, true), Run(block: 98, head: 100, onChain: false));

    [Fact]
    public void Revoking_block_unknown_takes_the_chains_word()
    {
        Assert.Equal((RevocationStep.Confirm, true), Run(block: null, head: 100, onChain: true));
        Assert.Equal((RevocationStep.Clear, true), Run(block: null, head: 100, onChain: false));
    }
}
