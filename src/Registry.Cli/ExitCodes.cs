namespace Registry.Cli;

public static class ExitCodes
{
    public const int Verified = 0;
    public const int NotVerified = 1;
    public const int BadUsage = 2;
    public const int Failed = 1;

    /// <summary>Says what is wrong with the command line or its input, and returns <see cref="BadUsage"/>.</summary>
    public static int Usage(string message)
    {
        Console.Error.WriteLine(message);
        return BadUsage;
    }
}
