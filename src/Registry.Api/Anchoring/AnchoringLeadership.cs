using System.Diagnostics;
using Registry.Api.Storage;

namespace Registry.Api.Anchoring;

/// <summary>
/// Holds this instance's claim to the anchoring lease (<see cref="IAnchoringLeases"/>): takes it when no
/// instance holds a live one, renews it every second, and releases it when the registry stops. The lease
/// runs for <see cref="Term"/> from each renewal, so when the anchoring instance dies another takes over
/// within a term and a second. Timed by the machine's monotonic clock (the lease itself by the
/// database's): this instance counts its lease as lost a little before the database would.
/// </summary>
public sealed class AnchoringLeadership(IAnchoringLeases leases, ILogger<AnchoringLeadership> logger) : BackgroundService
{
    /// <summary>How long a lease lasts after it was taken or last renewed.</summary>
    public static readonly TimeSpan Term = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(1);
    // The instance counts its lease as lost this much before the term it asked for ends.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private AnchoringLease? _held;
    private long _validUntil;
    private long? _lastAttempt;

    /// <summary>This instance's name in the lease: its machine, its process id and a random suffix, as the database shows it.</summary>
    public string Holder { get; } = $"{Environment.MachineName} pid {Environment.ProcessId} {Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The lease while this instance holds it and its term has not run out; null while another anchors.</summary>
    public AnchoringLease? Current
    {
        get
        {
            lock (_lock) return _held is not null && Stopwatch.GetTimestamp() < _validUntil ? _held : null;
        }
    }

    /// <summary>The lease held now, trying to take or renew it first when the last try was more than a renewal ago (the loop need not wait for the timer at start).</summary>
    public AnchoringLease? TryLead()
    {
        if (Current is { } held) return held;
        lock (_lock)
            if (_lastAttempt is { } last && Stopwatch.GetElapsedTime(last) < Renewal) return null;
        return Claim();
    }

    /// <summary>The store refused a write of <paramref name="lease"/>: another instance anchors now.</summary>
    public void Lost(AnchoringLease lease)
    {
        lock (_lock)
        {
            if (_held != lease) return;
            _held = null;
        }
        logger.LogWarning("This instance no longer anchors: its lease (token {Token}) was taken over", lease.Token);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Claim();
            try
            {
                await Task.Delay(Renewal, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        AnchoringLease? last;
        lock (_lock) (last, _held) = (_held, null);
        if (last is null) return;
        try
        {
            leases.Release(last);
            logger.LogInformation("This instance stopped anchoring and released its lease (token {Token})", last.Token);
        }
        catch (Exception e)
        {
            logger.LogWarning("The anchoring lease could not be released ({Message}); another instance takes over when its term ends", e.Message);
        }
    }

    private AnchoringLease? Claim()
    {
        var started = Stopwatch.GetTimestamp();
        AnchoringLease? before;
        lock (_lock) (before, _lastAttempt) = (_held, started);
        AnchoringLease? now;
        try
        {
            now = leases.TakeOrRenew(Holder, before, Term);
        }
        catch (Exception e)
        {
            // The lease stays counted until its term runs out: the database may be back before then.
            logger.LogWarning("The anchoring lease could not be renewed or taken: {Message}", e.Message);
            return Current;
        }
        lock (_lock)
        {
            _held = now;
            if (now is not null) _validUntil = started + (long)((Term - Margin).TotalSeconds * Stopwatch.Frequency);
        }
        if (now is not null && now != before) logger.LogInformation("This instance anchors now (lease token {Token}, {Holder})", now.Token, Holder);
        else if (now is null && before is not null) logger.LogWarning("This instance no longer anchors: another took the lease");
        return now;
    }
}
