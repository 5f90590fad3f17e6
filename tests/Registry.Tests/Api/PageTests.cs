using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Api;

/// <summary>What the registry tells its verification page: which registries to trust and through which node.</summary>
[Collection(RegistryCollection.Name)]
public sealed class PageTests(SharedRegistry registry)
{
    [Fact]
    public async Task Trusted_json_lists_the_registry_s_own_contract_with_its_node_on_the_local_chain()
    {
        var response = await registry.App.CreateClient().GetAsync("/trusted.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var own = Assert.Single((await response.Content.ReadFromJsonAsync<JsonArray>())!)!;
        Assert.Equal(31337, own["chainId"]!.GetValue<long>());
        Assert.Equal(registry.Contract, own["registry"]!.GetValue<string>());
        Assert.Equal(registry.Node.RpcUrl.ToString(), own["rpcUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_published_verifier_the_root_says_how_to_publish_it()
    {
        var html = await registry.App.CreateClient().GetStringAsync("/");
        Assert.Contains("scripts/publish-verifier.sh", html);
        Assert.Contains("REGISTRY_VERIFIER_DIR", html);
    }

    [Fact]
    public async Task The_page_is_sent_with_a_strict_security_policy_that_lets_it_read_only_the_listed_nodes()
    {
        var response = await registry.App.CreateClient().GetAsync("/");
        var policy = response.Headers.GetValues("Content-Security-Policy").Single().Split(';', StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());
        Assert.Equal(["'none'"], policy["default-src"]);
        Assert.Equal(["'self'", "'wasm-unsafe-eval'"], policy["script-src"]);
        Assert.Equal(["'self'"], policy["style-src"]);
        Assert.Equal(["'none'"], policy["frame-ancestors"]);
        Assert.Equal(["'self'", $"http://127.0.0.1:{registry.Node.Port}"], policy["connect-src"]);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Answers_holding_learners_data_are_never_stored()
    {
        var id = registry.CredentialIds[0];
        foreach (var response in new[]
        {
            await registry.IssuerClient.GetAsync($"/credentials/{id}/credential.json"),
            await registry.IssuerClient.GetAsync($"/credentials/{id}"),
            await registry.App.CreateClient().PostAsJsonAsync("/verify", registry.Portable),
        })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, response.RequestMessage!.RequestUri!.ToString());
        }
    }
}
