using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Registry.Tests.Infrastructure;

/// <summary>
/// <c>scripts/start.sh</c> as an operator runs it in a terminal: a process group of its own (what Ctrl-C
/// signals) with SIGINT at its default (a test host started in the background may ignore it, and a
/// shell cannot trap a signal ignored on entry). The processes it starts are found as its children.
/// </summary>
public sealed class StartScript : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private StartScript(ChildProcess process, int rpcPort, int apiPort, string dataDir)
    {
        _process = process;
        RpcPort = rpcPort;
        ApiPort = apiPort;
        DataDir = dataDir;
        RpcUrl = new Uri($"http://127.0.0.1:{rpcPort}");
        ApiUrl = new Uri($"http://127.0.0.1:{apiPort}");
    }

    public int RpcPort { get; }
    public int ApiPort { get; }
    public string DataDir { get; }
    public Uri RpcUrl { get; }
    public Uri ApiUrl { get; }
    public int Pid => _process.Pid;

    public string Output => _process.Output;

    /// <summary>
    /// Starts the script on free ports (or the data folder given, to start again on what a previous run
    /// left); settings override or, given as null, remove the defaults.
    /// </summary>
    public static StartScript Start(string? dataDir = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var rpcPort = FreePorts.Next();
        var apiPort = FreePorts.Next();
        dataDir ??= Path.Combine(TempFolder.Create(), "data");
        // setsid: a new process group led by the script, as a terminal gives it; env: SIGINT at its default.
        var start = ProgramRunner.StartInfo("setsid", ["env", "--default-signal=INT", "bash", "scripts/start.sh"]).WithoutRegistrySettings();
        start.Environment["REGISTRY_RPC_URL"] = $"http://127.0.0.1:{rpcPort}";
        start.Environment["REGISTRY_URLS"] = $"http://127.0.0.1:{apiPort}";
        start.Environment["REGISTRY_DATA_DIR"] = dataDir;
        start.Environment["REGISTRY_ADMIN_KEY"] = RegistryApp.AdminKey;
        start.Environment["REGISTRY_MAX_DELAY_SECONDS"] = "3600";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (TestStore.DatabaseUrlFor(dataDir) is { } database) start.Environment["REGISTRY_DATABASE_URL"] = database;
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        return new StartScript(ChildProcess.Start(start, "scripts/start.sh"), rpcPort, apiPort, dataDir);
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>Waits until the API answers /health with status ok (the build and the node's start included) and returns the answer.</summary>
    public async Task<JsonObject> WaitForHealthAsync(int seconds = 180)
    {
        using var http = Client();
        http.Timeout = TimeSpan.FromSeconds(5);
        return await _process.WaitUntilReadyAsync(async () =>
                await http.GetFromJsonAsync<JsonObject>("/health") is { } health && health["status"]?.GetValue<string>() == "ok" ? health : null,
            TimeSpan.FromSeconds(seconds), typeof(HttpRequestException), typeof(TaskCanceledException));
    }

    /// <summary>The running process among the script's children whose command line contains <paramref name="marker"/>, if any.</summary>
    public int? ChildWith(string marker)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // "pid (name) state ppid ...": the name may hold spaces and parentheses.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] == "Z" || int.Parse(fields[1]) != Pid) continue;
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal)) return pid;
            }
            catch (IOException) { } // the process ended while we looked
        }
        return null;
    }

    /// <summary>The API process the script runs now.</summary>
    public int ApiPid => ChildWith("Registry.Api.dll") ?? throw new InvalidOperationException($"The script runs no API:\n{Output}");

    /// <summary>The local node the script started.</summary>
    public int NodePid => (ChildWith("anvil") ?? ChildWith("hardhat")) ?? throw new InvalidOperationException($"The script runs no node:\n{Output}");

    /// <summary>Sends a signal with kill(1): to the script alone, or to its whole process group as Ctrl-C in its terminal does.</summary>
    public Task SignalAsync(string signal, bool wholeGroup) => _process.SignalAsync(signal, wholeGroup);

    public static async Task KillAsync(int pid)
    {
        var result = await ProgramRunner.RunAsync("kill", ["-s", "KILL", pid.ToString()]);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    /// <summary>Waits for the script to end and returns its exit code.</summary>
    public Task<int> WaitForExitAsync(int seconds) => _process.WaitForExitAsync(TimeSpan.FromSeconds(seconds));

    public static bool Running(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            return File.Exists(stat) && File.ReadAllText(stat).Split(") ")[^1][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static bool Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Whatever a failed test left running: the script's whole process group, which it leads.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await ProgramRunner.RunAsync("kill", ["-s", "KILL", "--", $"-{Pid}"]);
        await _process.DisposeAsync();
    }
}
