namespace Registry.Tests.Infrastructure;

/// <summary>A clock that moves only when the test moves it, for what happens once a minute.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
