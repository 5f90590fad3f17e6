namespace Registry.Verification;

public enum CheckStatus { Passed, Failed, Skipped }

/// <summary>The outcome of one named check, with a message a person can act on.</summary>
public sealed record CheckResult(string Name, CheckStatus Status, string Message);

/// <summary>Everything a verification found, in check order, and the block the chain's answers are true as of.</summary>
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

    public CheckResult? FirstFailure => Checks.FirstOrDefault(c => c.Status == CheckStatus.Failed);
}
