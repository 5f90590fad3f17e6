namespace Registry.Api.Anchoring;

/// <summary>How long to wait before trying again: 1 s, then twice the last wait, at most 30 s.</summary>
public static class Backoff
{
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    public static TimeSpan After(TimeSpan last) =>
        last == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(last.Ticks * 2, Max.Ticks));
}
