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
}
