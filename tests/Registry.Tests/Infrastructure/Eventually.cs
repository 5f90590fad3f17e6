using System.Diagnostics;

namespace Registry.Tests.Infrastructure;

/// <summary>
/// Waits for something the registry does on its own time (a batch anchored, an index caught up): it
/// asks again and again until the answer is the one expected, and fails with the last answer when the
/// deadline passes. The one way the suite polls; a test never sleeps for a fixed time instead.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Asks <paramref name="probe"/> until <paramref name="done"/> holds of its answer and returns that
    /// answer; throws <see cref="TimeoutException"/> describing <paramref name="what"/> and the last answer.
    /// </summary>
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = await probe();
            if (done(answer)) return answer;
            if (clock.Elapsed > limit)
                throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}; the last answer was: {Describe(answer)}");
            await Task.Delay(Interval);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        GetAsync(condition, held => held, what, timeout);

    /// <summary>Waits until <paramref name="condition"/>, a check of state in this process, holds.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        GetAsync(() => Task.FromResult(condition()), held => held, what, timeout);

    private static string Describe<T>(T answer) => answer switch
    {
        null => "nothing",
        System.Text.Json.Nodes.JsonNode node => node.ToJsonString(),
        System.Text.Json.JsonElement element => element.GetRawText(),
        _ => answer.ToString() ?? "",
    };
}
