using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Registry.Tests.Infrastructure;

/// <summary>A real Hardhat node on a free loopback port, started for the tests and stopped after them.</summary>
public sealed class HardhatNode : IAsyncLifetime
{
    private Process? _process;
    private readonly List<string> _output = [];

    public Uri RpcUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        RpcUrl = new Uri($"http://127.0.0.1:{port}");
        var cli = System.IO.Path.Combine(RepositoryRoot.Path, "node_modules", "hardhat", "internal", "cli", "cli.js");
        if (!File.Exists(cli)) throw new InvalidOperationException("Hardhat is not installed: run `npm ci` in the repository root (scripts/test.sh does).");
        var start = new ProcessStartInfo("node", [cli, "node", "--hostname", "127.0.0.1", "--port", port.ToString()])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the Hardhat node.");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) break;
            try
            {
                if (await ChainIdAsync(http) == 31337) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(250);
        }
        string log;
        lock (_output) log = string.Join('\n', _output.TakeLast(30));
        throw new InvalidOperationException($"The Hardhat node did not answer on {RpcUrl}:\n{log}");
    }

    /// <summary>Sends a raw JSON-RPC request, for what the registry itself never asks (mining blocks).</summary>
    public async Task<JsonElement> RpcAsync(string method, params object[] parameters)
    {
        using var http = new HttpClient();
        var response = await http.PostAsJsonAsync(RpcUrl, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (body.TryGetProperty("error", out var error)) throw new InvalidOperationException($"{method}: {error}");
        return body.GetProperty("result").Clone();
    }

    private async Task<long> ChainIdAsync(HttpClient http)
    {
        var response = await http.PostAsJsonAsync(RpcUrl, new { jsonrpc = "2.0", id = 1, method = "eth_chainId", @params = Array.Empty<object>() });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return Convert.ToInt64(body.GetProperty("result").GetString(), 16);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        return Task.CompletedTask;
    }
}
