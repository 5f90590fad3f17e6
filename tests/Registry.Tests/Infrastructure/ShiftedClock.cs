namespace Registry.Tests.Infrastructure;

/// <summary>
/// The registry's clock in tests: the system's time plus an offset a test may move forward, so that a
/// credential expires or an index goes stale at once instead of after a sleep. Timers and delays stay
/// the system's, so the registry's background work runs as usual.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock forward for good.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>Moves the clock forward until the returned scope is disposed, for a registry that other tests go on using.</summary>
    public IDisposable AdvanceFor(TimeSpan by)
    {
        Advance(by);
        return new Restore(this, by);
    }

    private sealed class Restore(ShiftedClock clock, TimeSpan by) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) clock.Advance(-by);
        }
    }
}
