namespace Registry.Verification;

/// <summary>
/// A check's status. <see cref="CouldNotCheck"/> is not a verdict on the credential: the chain could not be
/// read (see <see cref="UncheckedReason"/>), and asking again through a working node may well verify it.
/// </summary>
public enum CheckStatus { Passed, Failed, Skipped, CouldNotCheck }

/// <summary>The answer as a whole: every check passed, one failed, or one could not be completed.</summary>
public enum VerificationOutcome { Verified, NotVerified, CouldNotCheck }

/// <summary>The outcome of one named check, with a message a person can act on, and why it could not be completed when it could not.</summary>
public sealed record CheckResult(string Name, CheckStatus Status, string Message, UncheckedReason? Reason = null);

/// <summary>
/// Everything a verification found, in check order, and the block the chain's answers are true as of.
/// <c>Issuer</c> is the issuer's name as the chain holds it (known once the <c>issuer</c> check has read it),
/// never the name the document claims.
/// </summary>
public sealed record VerificationReport(
    bool Verified,
    IReadOnlyList<CheckResult> Checks,
    string? Issuer,
    DateTimeOffset? AnchoredAt,
    DateTimeOffset? RevokedAt,
    ChainPoint? AsOf = null)
{
    /// <summary>The reason the issuer gave when it revoked the credential, when the chain's log has it.</summary>
    public string? RevocationReason { get; init; }

    /// <summary>The credential's <c>issuer.id</c>, the did:key of the issuer's signing key, once <c>format</c> has read it.</summary>
    public string? IssuerId { get; init; }

    /// <summary>The issuer's Ethereum account (<c>did:pkh</c>) that the anchor proof names, once <c>format</c> has read it.</summary>
    public string? IssuerAccount { get; init; }

    /// <summary>
    /// What the credential hashes to (keccak256 of its salt and canonical form), once <c>digest</c> has computed
    /// it: the proof's digest when that check passed, another when the credential was changed.
    /// </summary>
    public string? Digest { get; init; }

    /// <summary>The check that failed or could not be completed; null when verified.</summary>
    public CheckResult? FirstFailure => Checks.FirstOrDefault(c => c.Status is CheckStatus.Failed or CheckStatus.CouldNotCheck);

    public VerificationOutcome Outcome => Verified ? VerificationOutcome.Verified
        : FirstFailure?.Status == CheckStatus.CouldNotCheck ? VerificationOutcome.CouldNotCheck
        : VerificationOutcome.NotVerified;

    /// <summary>The verdict in one English sentence, with the failed check's own failure sentence (the page has it in six languages).</summary>
    public string Summary => Outcome switch
    {
        VerificationOutcome.Verified => $"Verified: issued by {Issuer}, anchored {AnchoredAt:yyyy-MM-dd'T'HH:mm:ss'Z'}.",
        VerificationOutcome.CouldNotCheck => $"Could not check at \"{FirstFailure!.Name}\": the blockchain could not be read, so this is no verdict on the credential.",
        _ => $"Not verified: failed at the check \"{FirstFailure!.Name}\": {CredentialVerifier.Check(FirstFailure.Name).Failure}",
    };
}

/// <summary>The words the API, the CLI's JSON and the page use for statuses and outcomes.</summary>
public static class VerificationWords
{
    public static string Of(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "passed",
        CheckStatus.Failed => "failed",
        CheckStatus.Skipped => "skipped",
        _ => "could-not-check",
    };

    public static string Of(VerificationOutcome outcome) => outcome switch
    {
        VerificationOutcome.Verified => "verified",
        VerificationOutcome.NotVerified => "not-verified",
        _ => "could-not-check",
    };

    public static string Of(UncheckedReason reason) => reason switch
    {
        UncheckedReason.NodeUnreachable => "node-unreachable",
        UncheckedReason.NodeTimeout => "node-timeout",
        UncheckedReason.NodeBadAnswer => "node-bad-answer",
        _ => "no-node",
    };
}
