namespace Registry.Cli;

public static class ExitCodes
{
    public const int Verified = 0;
    public const int NotVerified = 1;
    public const int BadUsage = 2;
    public const int Failed = 1;
}
