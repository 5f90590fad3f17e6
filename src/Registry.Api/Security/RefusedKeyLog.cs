namespace Registry.Api.Security;

/// <summary>
/// Logs refused API keys at most once a minute per client address, with how many were refused: a
/// client trying keys cannot fill the log, and the operator still sees who tries and how often.
/// </summary>
public sealed class RefusedKeyLog(ILogger<RefusedKeyLog> logger, TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private const int MaxClients = 10_000;

    private readonly Dictionary<string, Tally> _clients = new(StringComparer.Ordinal);

    public void Record(string client, string reason)
    {
        var now = clock.GetUtcNow();
        lock (_clients)
        {
            if (!_clients.TryGetValue(client, out var tally))
            {
                if (_clients.Count >= MaxClients) Forget(now);
                _clients[client] = tally = new Tally { Since = now, LoggedAt = DateTimeOffset.MinValue };
            }
            tally.Count++;
            if (now - tally.LoggedAt < Interval) return;
            logger.LogWarning("Refused {Count} request(s) from {Client} since {Since:yyyy-MM-dd'T'HH:mm:ss'Z'}: {Reason} (logged at most once a minute per client)",
                tally.Count, client, tally.Since.UtcDateTime, reason);
            tally.Count = 0;
            tally.Since = now;
            tally.LoggedAt = now;
        }
    }

    /// <summary>Drops the clients that have nothing left to report and were logged over a minute ago.</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var (client, tally) in _clients.ToList())
            if (tally.Count == 0 && now - tally.LoggedAt >= Interval) _clients.Remove(client);
    }

    private sealed class Tally
    {
        public int Count;
        public DateTimeOffset Since;
        public DateTimeOffset LoggedAt;
    }
}
