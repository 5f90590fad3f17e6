using System.Net.Sockets;
using System.Text;
using Registry.Api.Problems;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Api;

/// <summary>
/// A client that writes a whole over-limit body before reading (Python's urllib, most HTTP libraries,
/// no <c>Expect: 100-continue</c>) reads the 413 problem: the registry reads and drops the body up to
/// four times the route's limit before it answers and closes, instead of resetting the connection.
/// </summary>
[Collection(IssuingCollection.Name)]
public sealed class LargeBodyTests(IssuingRegistry registry)
{
    [Fact]
    public async Task A_declared_body_over_the_limit_written_whole_gets_the_413()
    {
        await using var app = KestrelApp();
        var response = await SendWholeThenReadAsync(app, "/verify", new byte[BodyLimits.Verify + 1], chunked: false, apiKey: null);
        AssertRefused(response);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_written_whole_gets_the_413()
    {
        await using var app = KestrelApp();
        var issuerKey = (await app.CreateIssuerAsync("Large Body Academy")).ApiKey;
        var response = await SendWholeThenReadAsync(app, "/credentials", new byte[BodyLimits.Credential * 2], chunked: true, issuerKey);
        AssertRefused(response);
    }

    private static void AssertRefused(string response)
    {
        Assert.StartsWith("HTTP/1.1 413", response);
        Assert.Contains("application/problem+json", response);
        Assert.Contains("Connection: close", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("exceeds", response);
    }

    private RegistryApp KestrelApp()
    {
        var app = new RegistryApp(registry.Node.RpcUrl, settings: new Dictionary<string, string> { ["REGISTRY_URLS"] = "http://127.0.0.1:0" });
        app.UseKestrel();
        return app;
    }

    /// <summary>Writes the request and all of its body, then reads the answer until the server closes the connection.</summary>
    private static async Task<string> SendWholeThenReadAsync(RegistryApp app, string path, byte[] body, bool chunked, string? apiKey)
    {
        body.AsSpan().Fill((byte)' ');
        var address = app.CreateClient().BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var head = new StringBuilder($"POST {path} HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\n");
        if (apiKey is not null) head.Append($"Authorization: Bearer {apiKey}\r\n");
        head.Append(chunked ? "Transfer-Encoding: chunked\r\n\r\n" : $"Content-Length: {body.Length}\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        if (!chunked) await stream.WriteAsync(body);
        else
        {
            for (var offset = 0; offset < body.Length; offset += 64 * 1024)
            {
                var size = Math.Min(64 * 1024, body.Length - offset);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{size:x}\r\n"));
                await stream.WriteAsync(body.AsMemory(offset, size));
                await stream.WriteAsync("\r\n"u8.ToArray());
            }
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var answer = new MemoryStream();
        await stream.CopyToAsync(answer, timeout.Token);
        return Encoding.UTF8.GetString(answer.ToArray());
    }
}
