using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Registry.Tests.Infrastructure;

/// <summary>
/// The registry as its operator runs it: the API's own program in a process of its own, configured by
/// environment variables. For what only a real process shows: that it stops at start, and with what.
/// </summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private RegistryProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>The settings every run gets unless the test says otherwise: its own data folder, port and admin key.</summary>
    public static Dictionary<string, string?> Settings(Uri rpcUrl, string? dataDir = null) => new()
    {
        ["REGISTRY_RPC_URL"] = rpcUrl.ToString(),
        ["REGISTRY_DATA_DIR"] = dataDir ?? TempFolder.Create(),
        ["REGISTRY_ADMIN_KEY"] = RegistryApp.AdminKey,
        ["REGISTRY_URLS"] = $"http://127.0.0.1:{LocalNode.FreePort()}",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>Starts the registry; a setting may be removed by giving it as null.</summary>
    public static RegistryProcess Start(IReadOnlyDictionary<string, string?> settings)
    {
        var api = Path.Combine(AppContext.BaseDirectory, "Registry.Api.dll");
        var start = ProgramRunner.StartInfo("dotnet", [api]).WithoutRegistrySettings();
        foreach (var (name, value) in settings)
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        var url = new Uri(settings.TryGetValue("REGISTRY_URLS", out var urls) && urls is not null ? urls : "http://127.0.0.1:5080");
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the registry.");
        var running = new RegistryProcess(process, url);
        process.OutputDataReceived += (_, e) => running.Add(e.Data);
        process.ErrorDataReceived += (_, e) => running.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Runs the registry until it exits by itself, which a registry that starts never does within the time given.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IReadOnlyDictionary<string, string?> settings, int seconds = 60)
    {
        await using var run = Start(settings);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            await run._process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The registry did not exit within {seconds} s:\n{run.Output}");
        }
        run._process.WaitForExit(); // flushes the redirected output
        return (run._process.ExitCode, run.Output);
    }

    /// <summary>Waits until the registry answers /health and returns the answer.</summary>
    public async Task<JsonObject> WaitForHealthAsync(int seconds = 60)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The registry exited with {_process.ExitCode}:\n{Output}");
            try
            {
                return (await http.GetFromJsonAsync<JsonObject>("/health"))!;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The registry did not answer within {seconds} s:\n{Output}");
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Kills the process with SIGKILL, as a crash or an out-of-memory killer would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private void Add(string? line)
    {
        if (line is not null) lock (_output) _output.Add(line);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
