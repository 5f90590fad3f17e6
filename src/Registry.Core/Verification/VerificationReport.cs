namespace Registry.Verification;

public enum CheckStatus { Passed, Failed, Skipped }

/// <summary>The outcome of one named check, with a message a person can act on.</summary>
public sealed record CheckResult(string Name, CheckStatus Status, string Message);

/// <summary>Everything a verification found, in check order.</summary>
public sealed record VerificationReport(
    bool Verified,
    IReadOnlyList<CheckResult> Checks,
    string? Issuer,
    DateTimeOffset? AnchoredAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>The reason the issuer gave when it revoked the credential, when the chain's log has it.</summary>
    public string? RevocationReason { get; init; }

    public CheckResult? FirstFailure => Checks.FirstOrDefault(c => c.Status == CheckStatus.Failed);
}
