using System.Net;
using Registry.Api.Problems;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Api;

/// <summary>
/// Each route reads at most the body it needs: one byte over its limit is a 413 problem, sent before
/// the body is read, and a body at the limit is not refused for its size. Under the test server and
/// under Kestrel, with a declared length and without one.
/// </summary>
[Collection(IssuingCollection.Name)]
public sealed class InputLimitsTests(IssuingRegistry registry)
{
    private enum Caller { Admin, Issuer, Anyone }

    private static readonly (string Path, Caller Caller, long Limit)[] Routes =
    [
        ("/issuers", Caller.Admin, BodyLimits.Small),
        ("/issuers/no-such-issuer/remove", Caller.Admin, BodyLimits.Small),
        ("/auditors", Caller.Admin, BodyLimits.Small),
        ("/credentials", Caller.Issuer, BodyLimits.Credential),
        ("/credentials/bulk", Caller.Issuer, BodyLimits.Bulk),
        ($"/credentials/{Guid.NewGuid()}/revoke", Caller.Issuer, BodyLimits.Small),
        ("/credentials/revoke", Caller.Issuer, BodyLimits.Small),
        ("/batches", Caller.Issuer, BodyLimits.Small),
        ("/verify", Caller.Anyone, BodyLimits.Verify),
    ];

    [Fact]
    public void The_limits_are_the_ones_documented()
    {
        Assert.Equal(1 << 20, BodyLimits.Credential);
        Assert.Equal(64 << 20, BodyLimits.Bulk);
        Assert.Equal(4 << 20, BodyLimits.Verify);
        Assert.Equal(64 << 10, BodyLimits.Small);
    }

    [Fact]
    public async Task Under_the_test_server_each_route_refuses_one_byte_over_its_limit() =>
        await CheckEveryRouteAsync(await ClientsAsync(registry.App));

    [Fact]
    public async Task Under_kestrel_each_route_refuses_one_byte_over_its_limit_before_the_body_is_sent()
    {
        await using var app = KestrelApp();
        var clients = await ClientsAsync(app);
        // A client that asks before sending a large body gets the 413 instead of sending it.
        foreach (var client in clients.Values) client.DefaultRequestHeaders.ExpectContinue = true;
        await CheckEveryRouteAsync(clients);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_without_a_declared_length_stops_at_the_limit(bool kestrel)
    {
        await using var ownApp = kestrel ? KestrelApp() : null;
        var clients = await ClientsAsync(ownApp ?? registry.App);
        // Over a real connection the refused body must fit the socket buffers, or the client is still
        // sending when the server closes the connection: Kestrel is asked about the small routes only.
        var routes = Routes.Where(r => r.Path is "/auditors" or "/credentials/revoke" || !kestrel && r.Path is "/credentials" or "/verify");
        foreach (var (path, caller, limit) in routes)
        {
            var client = clients[caller];
            var over = await client.PostAsync(path, Unmeasured(JsonOfSize(limit + 1)));
            await ProblemTests.ExpectProblemAsync(over, HttpStatusCode.RequestEntityTooLarge);
            var atLimit = await client.PostAsync(path, Unmeasured(JsonOfSize(limit)));
            Assert.True((int)atLimit.StatusCode is not 413 and < 500, $"{path}: {(int)atLimit.StatusCode} {await atLimit.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task CheckEveryRouteAsync(Dictionary<Caller, HttpClient> clients)
    {
        foreach (var (path, caller, limit) in Routes)
        {
            var client = clients[caller];
            var over = await client.PostAsync(path, Json(JsonOfSize(limit + 1)));
            await ProblemTests.ExpectProblemAsync(over, HttpStatusCode.RequestEntityTooLarge);
            // The body was left unread, so the connection is not used again.
            Assert.True(over.Headers.ConnectionClose, path);
            var atLimit = await client.PostAsync(path, Json(JsonOfSize(limit)));
            Assert.True((int)atLimit.StatusCode is not 413 and < 500, $"{path}: {(int)atLimit.StatusCode} {await atLimit.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>A registry served by Kestrel on a free port, on the shared node.</summary>
    private RegistryApp KestrelApp()
    {
        var app = new RegistryApp(registry.Node.RpcUrl, settings: new Dictionary<string, string> { ["REGISTRY_URLS"] = "http://127.0.0.1:0" });
        app.UseKestrel();
        return app;
    }

    /// <summary>A client for each caller; the issuer is a new one, so sealing finds nothing of other tests.</summary>
    private static async Task<Dictionary<Caller, HttpClient>> ClientsAsync(RegistryApp app) => new()
    {
        [Caller.Admin] = app.Admin(),
        [Caller.Issuer] = (await app.AddIssuerAsync("Limits Academy")).Client,
        [Caller.Anyone] = app.CreateClient(),
    };

    /// <summary>A JSON object of exactly <paramref name="size"/> bytes: {"pad":"xx…x"}.</summary>
    private static byte[] JsonOfSize(long size)
    {
        var body = new byte[size];
        body.AsSpan().Fill((byte)'x');
        "{\"pad\":\""u8.CopyTo(body);
        "\"}"u8.CopyTo(body.AsSpan((int)size - 2));
        return body;
    }

    private static ByteArrayContent Json(byte[] body) => new(body) { Headers = { { "Content-Type", "application/json" } } };

    /// <summary>Content whose length is not known before it is sent (chunked over HTTP/1.1).</summary>
    private static StreamContent Unmeasured(byte[] body) =>
        new(new UnseekableStream(body)) { Headers = { { "Content-Type", "application/json" } } };

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
