using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Anchoring;

/// <summary>The registry speaks contract version 2 only: a configured contract of another version is refused, with a message that says so.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ContractVersionTests(SharedRegistry registry)
{
    [Fact]
    public async Task A_configured_contract_that_is_not_version_2_is_refused()
    {
        // Code at an address that is no CredentialRegistry of version 2 (a bare STOP).
        var address = "0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        await registry.Node.RpcAsync("hardhat_setCode", address, "0x00");
        await using var app = new RegistryApp(registry.Node.RpcUrl, settings: new Dictionary<string, string> { ["REGISTRY_CONTRACT"] = address });

        var health = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!;

        Assert.Equal("degraded", health["status"]!.GetValue<string>());
        Assert.Contains("needs CredentialRegistry version 2", health["problem"]!.GetValue<string>());
    }
}
