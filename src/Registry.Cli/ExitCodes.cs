namespace Registry.Cli;

/// <summary>
/// What the commands exit with; <c>registry verify</c> uses all four, the other commands 0, 1 and 2.
/// The README lists them.
/// </summary>
public static class ExitCodes
{
    /// <summary>Verified; for the other commands, done.</summary>
    public const int Verified = 0;

    /// <summary>A verdict: the credential failed a check (forged, tampered, revoked, expired, untrusted registry).</summary>
    public const int NotVerified = 1;

    /// <summary>The command line or its input is wrong; nothing was checked.</summary>
    public const int BadUsage = 2;

    /// <summary>No verdict: the chain could not be read (the node is down, slow, on another port, or answers wrongly).</summary>
    public const int CouldNotCheck = 3;

    /// <summary>Another command failed (an unreachable node, a refused transaction).</summary>
    public const int Failed = 1;

    /// <summary>Says what is wrong with the command line or its input, and returns <see cref="BadUsage"/>.</summary>
    public static int Usage(string message)
    {
        Console.Error.WriteLine(message);
        return BadUsage;
    }
}
