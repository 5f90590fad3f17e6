using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Api;

[Collection(RegistryCollection.Name)]
public sealed class ServiceTests(SharedRegistry registry)
{
    [Fact]
    public async Task Health_names_the_chain_the_contract_and_the_block()
    {
        var health = (await registry.App.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!;
        Assert.Equal("ok", health["status"]!.GetValue<string>());
        Assert.Equal(31337, health["chainId"]!.GetValue<long>());
        Assert.Equal(registry.Contract, health["registry"]!.GetValue<string>());
        Assert.True(health["blockNumber"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_route_and_the_reference_is_served()
    {
        var client = registry.App.CreateClient();
        var document = (await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (var path in new[] { "/health", "/issuers", "/issuers/{id}", "/issuers/{id}/remove", "/auditors", "/credentials", "/credentials/bulk",
                     "/credentials/{id}", "/credentials/{id}/credential.json", "/credentials/{id}/revoke", "/credentials/revoke", "/batches",
                     "/batches/{id}", "/verify", "/audit/events", "/audit/batches/{id}", "/audit/revocations" })
            Assert.Contains(path, paths);
        var issue = document["paths"]!["/credentials"]!["post"]!["responses"]!.AsObject();
        Assert.Contains("202", issue.Select(r => r.Key));
        Assert.Contains("400", issue.Select(r => r.Key));

        var reference = await client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("text/html", reference.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_checks_are_listed_before_running_them()
    {
        var checks = (await registry.App.CreateClient().GetFromJsonAsync<JsonArray>("/verify/checks"))!;
        Assert.Equal(["format", "digest", "signature", "merkle", "registry", "anchor", "issuer", "revocation", "validity", "components"],
            checks.Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Verification_is_rate_limited_per_client()
    {
        await using var app = new RegistryApp(registry.Node.RpcUrl, settings: new Dictionary<string, string> { ["REGISTRY_VERIFY_RATE_LIMIT"] = "3" });
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/verify", registry.Portable)).StatusCode);
        var limited = await client.PostAsJsonAsync("/verify", registry.Portable);
        await ProblemTests.ExpectProblemAsync(limited, HttpStatusCode.TooManyRequests);
    }
}
