namespace Registry.Verification;

/// <summary>The contract's times: unix seconds in a uint64, where 0 means "never".</summary>
public static class ChainTime
{
    public static DateTimeOffset? FromUnixSeconds(ulong unixSeconds) =>
        unixSeconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(unixSeconds, (ulong)long.MaxValue / 1000));
}
