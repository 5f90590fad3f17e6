using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Registry.Api.Security;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Operations;

/// <summary>Refused API keys are logged at most once a minute per client, with how many were refused: a client trying keys cannot fill the log.</summary>
[Collection(NodeCollection.Name)]
public sealed class RefusedKeyLogTests(LocalAnvilNode node)
{
    [Fact]
    public async Task Many_refused_keys_make_one_line_a_minute_with_their_count()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var lines = new ConcurrentQueue<string>();
        // The shipped level (Information), where the framework used to write two lines per refusal.
        await using var app = new RegistryApp(node.RpcUrl, settings: new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Information" });
        await using var logged = app.WithWebHostBuilder(web =>
        {
            web.ConfigureLogging(logging => logging.AddProvider(new CapturingLogger(lines)));
            web.ConfigureTestServices(services => services.AddSingleton(s => new RefusedKeyLog(s.GetRequiredService<ILogger<RefusedKeyLog>>(), clock)));
        });
        var wrongKey = logged.CreateClient();
        wrongKey.DefaultRequestHeaders.Authorization = new("Bearer", "rk_not_a_key");
        var wrongScheme = logged.CreateClient();
        wrongScheme.DefaultRequestHeaders.Authorization = new("Basic", "YWRtaW46YWRtaW4=");

        for (var i = 0; i < 20; i++) Assert.Equal(401, (int)(await wrongKey.GetAsync("/batches")).StatusCode);
        for (var i = 0; i < 10; i++) Assert.Equal(401, (int)(await wrongScheme.PostAsync("/auditors", null)).StatusCode);
        var first = AboutKeys(lines);
        Assert.True(first.Count == 1, string.Join('\n', first));
        Assert.Contains("Refused 1 request(s)", first[0]);

        clock.Advance(RefusedKeyLog.Interval);
        Assert.Equal(401, (int)(await wrongKey.GetAsync("/batches")).StatusCode);
        var second = AboutKeys(lines);
        Assert.True(second.Count == 2, string.Join('\n', second));
        Assert.Contains("Refused 30 request(s)", second[1]);
    }

    /// <summary>The lines that speak of authentication: the registry's own and the framework's.</summary>
    private static List<string> AboutKeys(ConcurrentQueue<string> lines) =>
        lines.Where(l => l.Contains("Security", StringComparison.Ordinal) || l.Contains("authenticat", StringComparison.OrdinalIgnoreCase)
            || l.Contains("challenged", StringComparison.Ordinal)).ToList();

    private sealed class CapturingLogger(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        private string _category = "";

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(lines) { _category = categoryName };

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {_category}: {formatter(state, exception)}");

        public void Dispose() { }
    }
}
