namespace Registry.Verification;

/// <summary>One named step of verification.</summary>
public interface IVerificationCheck
{
    string Name { get; }

    /// <summary>What passing means, for a page or a CLI that lists the checks before running them.</summary>
    string Description { get; }

    /// <summary>What failing means, in one sentence: the verdict's words when this check is the one that failed.</summary>
    string Failure { get; }

    Task<CheckOutcome> RunAsync(VerificationContext context, CancellationToken cancellationToken);
}

/// <summary>Passed or failed, with the message to show.</summary>
public readonly record struct CheckOutcome(bool Passed, string Message)
{
    public static CheckOutcome Pass(string message) => new(true, message);
    public static CheckOutcome Fail(string message) => new(false, message);
}
