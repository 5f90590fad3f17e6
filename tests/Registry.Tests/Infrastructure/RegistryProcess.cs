using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Registry.Tests.Infrastructure;

/// <summary>
/// The registry as its operator runs it: the API's own program in a process of its own, configured by
/// environment variables. For what only a real process shows: that it stops at start, and with what.
/// </summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private RegistryProcess(ChildProcess process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public string Output => _process.Output;

    /// <summary>
    /// The settings every run gets unless the test says otherwise: its own data folder, port and admin key,
    /// and the run's store (<see cref="TestStore"/>; on PostgreSQL, the data folder's database).
    /// </summary>
    public static Dictionary<string, string?> Settings(Uri rpcUrl, string? dataDir = null)
    {
        dataDir ??= TempFolder.Create();
        var settings = new Dictionary<string, string?>
        {
            ["REGISTRY_RPC_URL"] = rpcUrl.ToString(),
            ["REGISTRY_DATA_DIR"] = dataDir,
            ["REGISTRY_ADMIN_KEY"] = RegistryApp.AdminKey,
            ["REGISTRY_LIGHT_KDF"] = "true",
            ["REGISTRY_URLS"] = $"http://127.0.0.1:{FreePorts.Next()}",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        TestStore.AddTo(settings, dataDir);
        return settings;
    }

    /// <summary>Starts the registry; a setting may be removed by giving it as null.</summary>
    public static RegistryProcess Start(IReadOnlyDictionary<string, string?> settings)
    {
        var api = Path.Combine(AppContext.BaseDirectory, "Registry.Api.dll");
        var start = ProgramRunner.StartInfo("dotnet", [api]).WithoutRegistrySettings();
        foreach (var (name, value) in settings)
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        var url = new Uri(settings.TryGetValue("REGISTRY_URLS", out var urls) && urls is not null ? urls : "http://127.0.0.1:5080");
        return new RegistryProcess(ChildProcess.Start(start, $"the registry on {url}"), url);
    }

    /// <summary>Runs the registry until it exits by itself, which a registry that starts never does within the time given.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IReadOnlyDictionary<string, string?> settings, int seconds = 60)
    {
        await using var run = Start(settings);
        var exitCode = await run._process.WaitForExitAsync(TimeSpan.FromSeconds(seconds));
        return (exitCode, run.Output);
    }

    /// <summary>Waits until the registry answers /health and returns the answer.</summary>
    public async Task<JsonObject> WaitForHealthAsync(int seconds = 60)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
        return await _process.WaitUntilReadyAsync(() => http.GetFromJsonAsync<JsonObject>("/health"), TimeSpan.FromSeconds(seconds), typeof(HttpRequestException));
    }

    public bool HasExited => _process.HasExited;

    /// <summary>A client of this registry sending <paramref name="key"/> as its bearer key; a request that hangs fails at <paramref name="timeoutSeconds"/>.</summary>
    public HttpClient ClientWithKey(string key, int timeoutSeconds = 60)
    {
        var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(timeoutSeconds) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>
    /// Creates an issuer (<paramref name="path"/> <c>/issuers</c>) or an auditor (<c>/auditors</c>) named <paramref name="name"/>
    /// through this registry with the admin key, asserting a 201; returns what the answer says of it.
    /// </summary>
    public async Task<T> CreateAsync<T>(string path, string name)
    {
        using var admin = ClientWithKey(RegistryApp.AdminKey);
        var created = await admin.PostAsJsonAsync(path, new { name });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<T>(Json.Web))!;
    }

    /// <summary>The registry's process id, as the registry names itself in the anchoring lease.</summary>
    public int Pid => _process.Pid;

    /// <summary>Kills the process with SIGKILL, as a crash or an out-of-memory killer would: no shutdown code runs.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>Stops the registry with SIGTERM, as its operator does, and waits until it has exited and written its last lines.</summary>
    public Task<int> StopAsync() => _process.StopAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
