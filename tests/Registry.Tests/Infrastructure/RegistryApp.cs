using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace Registry.Tests.Infrastructure;

/// <summary>
/// The real registry in-process: real HTTP through the test server, its data in the run's store (a
/// temporary folder, and on PostgreSQL a database of its own: <see cref="TestStore"/>), and the real
/// contract on the test's local node (deployed by the registry at first use).
/// </summary>
public sealed class RegistryApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "rk_test_admin_key";

    private readonly Dictionary<string, string> _settings;

    public RegistryApp(Uri rpcUrl, string? dataDir = null, IDictionary<string, string>? settings = null)
    {
        DataDir = dataDir ?? TempFolder.Create();
        _settings = new Dictionary<string, string>
        {
            ["REGISTRY_RPC_URL"] = rpcUrl.ToString(),
            ["REGISTRY_DATA_DIR"] = DataDir,
            ["REGISTRY_ADMIN_KEY"] = AdminKey,
            ["REGISTRY_KEYSTORE_PASSWORD"] = "test keystore password",
            // geth's light scrypt parameters, as on a developer's local chain: a tenth of the work for each of
            // the suite's issuers, the shared registry's among them. KeystoreTests starts one with the standard ones.
            ["REGISTRY_LIGHT_KDF"] = "true",
            // Batches are sealed on request in tests, unless a test sets a delay.
            ["REGISTRY_MAX_DELAY_SECONDS"] = "3600",
            // The suite's output is the tests', not the request log's.
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) _settings[key] = value;
        TestStore.AddTo(_settings, DataDir);
    }

    public string DataDir { get; }

    /// <summary>The registry's clock, which a test may move forward (validity windows, staleness).</summary>
    public ShiftedClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.UseEnvironment("Production");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>A client of the API; every portable credential it fetches is checked against the schemas (<see cref="IssuedCredentialCheck"/>).</summary>
    public HttpClient ClientWithKey(string? apiKey)
    {
        // What CreateClient makes (its address, the test server's or Kestrel's, and its handlers), with the check added.
        using var plain = CreateClient();
        var client = CreateDefaultClient(plain.BaseAddress!, new RedirectHandler(), new CookieContainerHandler(), new IssuedCredentialCheck());
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public HttpClient Admin() => ClientWithKey(AdminKey);

    /// <summary>An issuer's private key, as the registry decrypts it: what a test signs with to act as that issuer outside the API.</summary>
    public string PrivateKeyOf(CreatedIssuer issuer)
    {
        var entity = Services.GetRequiredService<Registry.Api.Storage.IIssuerStore>().Find(issuer.Id)!;
        return Services.GetRequiredService<Registry.Api.Issuers.IssuerKeyring>().PrivateKeyOf(entity);
    }

    /// <summary>An issuer's Ed25519 signing key, as the registry opens it: what a test re-signs a credential with to act as that issuer.</summary>
    public Registry.Signatures.Ed25519KeyPair SigningKeyOf(CreatedIssuer issuer)
    {
        var entity = Services.GetRequiredService<Registry.Api.Storage.IIssuerStore>().Find(issuer.Id)!;
        return Services.GetRequiredService<Registry.Api.Issuers.IssuerKeyring>().SigningKeyOf(entity);
    }

    /// <summary>Creates an issuer through the API and returns its id, DID, address and key; tests that share a registry may reuse a name.</summary>
    public async Task<CreatedIssuer> CreateIssuerAsync(string name = "Open University of Testing")
    {
        var response = await Admin().PostAsJsonAsync("/issuers", new { name, country = "DE", url = "https://example.edu", allowDuplicateName = true });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedIssuer>(Json.Web))!;
    }

    /// <summary>Starts a registry on the node and creates one issuer in it, with a client that acts as that issuer.</summary>
    public static async Task<RegistryWithIssuer> StartWithIssuerAsync(Uri rpcUrl, string issuerName, string? dataDir = null, IDictionary<string, string>? settings = null)
    {
        var app = new RegistryApp(rpcUrl, dataDir, settings);
        try
        {
            var (issuer, client) = await app.AddIssuerAsync(issuerName);
            return new RegistryWithIssuer(app, issuer, client);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an issuer through the API (<see cref="CreateIssuerAsync"/>) and a client that acts as it.</summary>
    public async Task<IssuerWithClient> AddIssuerAsync(string name)
    {
        var issuer = await CreateIssuerAsync(name);
        return new IssuerWithClient(issuer, ClientWithKey(issuer.ApiKey));
    }

    /// <summary>Issues the credentials, seals them and waits until the batch is anchored; returns the credential ids.</summary>
    public async Task<IReadOnlyList<string>> IssueAndAnchorAsync(HttpClient issuer, params JsonObject[] credentials)
    {
        var (ids, batchId) = await issuer.IssueAndSealAsync(credentials);
        await WaitForBatchAsync(issuer, batchId, "anchored");
        return ids;
    }

    public static Task<JsonObject> WaitForBatchAsync(HttpClient client, string batchId, string state, int seconds = 60) =>
        Eventually.GetAsync(async () => (await client.GetFromJsonAsync<JsonObject>($"/batches/{batchId}"))!,
            batch => batch["status"]!.GetValue<string>() == state, $"batch {batchId} to become {state}", TimeSpan.FromSeconds(seconds));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed record CreatedIssuer(string Id, string Did, string Address, string DidKey, string ApiKey);

public static class Json
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}

public static class TempFolder
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "registry-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
