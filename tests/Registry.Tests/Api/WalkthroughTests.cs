using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;
using Registry.Tests.Verification;

namespace Registry.Tests.Api;

/// <summary>The README's walk-through, step by step, over HTTP with the example badge from docs/.</summary>
[Collection(NodeCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class WalkthroughTests(LocalAnvilNode node)
{
    [Fact]
    public async Task From_creating_an_issuer_to_verifying_a_tampered_credential()
    {
        await using var app = new RegistryApp(node.RpcUrl);
        var anyone = app.CreateClient();

        var health = (await anyone.GetFromJsonAsync<JsonObject>("/health"))!;
        Assert.Equal("ok", health["status"]!.GetValue<string>());

        var created = await app.Admin().PostAsJsonAsync("/issuers", new { name = "Open University of Lagos", country = "NG", url = "https://oul.example" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var issuer = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.StartsWith("did:pkh:eip155:31337:0x", issuer["did"]!.GetValue<string>());
        var client = app.ClientWithKey(issuer["apiKey"]!.GetValue<string>());

        var badge = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "docs", "examples", "badge.json"));
        var accepted = await client.PostAsync("/credentials", new StringContent(badge, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        var sealedBatch = await client.PostAsync("/batches", null);
        Assert.Equal(HttpStatusCode.Accepted, sealedBatch.StatusCode);
        var batchId = (await sealedBatch.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var batch = await RegistryApp.WaitForBatchAsync(client, batchId, "anchored");
        Assert.InRange(batch["gasUsed"]!.GetValue<long>(), 21_000, 50_000);
        Assert.Equal("anchored", (await client.GetFromJsonAsync<JsonObject>($"/credentials/{id}"))!["status"]!.GetValue<string>());

        var portable = await client.PortableAsync(id);
        Assert.Equal($"urn:uuid:{id}", portable["id"]!.GetValue<string>());
        Assert.Equal(issuer["didKey"]!.GetValue<string>(), portable["issuer"]!["id"]!.GetValue<string>());
        Assert.Equal("Open University of Lagos", portable["issuer"]!["name"]!.GetValue<string>());
        Assert.Equal("EthereumMerkleAnchor2026", portable.AnchorProof()["type"]!.GetValue<string>());
        Assert.Equal("eddsa-rdfc-2022", portable.SignatureProof()["cryptosuite"]!.GetValue<string>());
        Assert.True((await app.VerifyAsync(portable))["verified"]!.GetValue<bool>());

        var tampered = (JsonObject)portable.DeepClone();
        TamperingTests.Tamper(tampered, "subject field");
        var verdict = await app.VerifyAsync(tampered);
        Assert.False(verdict["verified"]!.GetValue<bool>());
        Assert.Equal("digest", verdict.FailedCheck()!["name"]!.GetValue<string>());
    }
}
