namespace Registry.Anchoring;

/// <summary>What to do next with a revocation that shows <c>revoking</c>.</summary>
public enum RevocationStep
{
    /// <summary>Ask the chain whether the issuer's revocation of the digest is still there, then ask again.</summary>
    ObserveRevocation,
    /// <summary>Its block does not have the confirmations yet.</summary>
    Wait,
    /// <summary>Confirmed and still on chain: it shows <c>revoked</c>.</summary>
    Confirm,
    /// <summary>Undone by a reorganisation: forget it, so that the issuer can revoke again.</summary>
    Clear,
}

/// <summary>
/// A revocation's life after its transaction was mined, as a pure function: it shows <c>revoking</c>
/// until its block has the configured confirmations, then <c>revoked</c> if the chain still has it.
/// </summary>
public static class RevocationLife
{
    /// <param name="block">The revocation's block; null when unknown, and then only the chain's word counts.</param>
    /// <param name="head">The chain's latest block.</param>
    /// <param name="onChain">Whether the chain has the issuer's revocation of the digest; null while not read.</param>
    public static RevocationStep Next(long? block, long head, int confirmations, bool? onChain)
    {
        if (block is { } mined && head < mined + confirmations) return RevocationStep.Wait;
        return onChain switch
        {
            null => RevocationStep.ObserveRevocation,
            true => RevocationStep.Confirm,
            false => RevocationStep.Clear,
        };
    }
}
