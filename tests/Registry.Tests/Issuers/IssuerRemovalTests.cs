using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Api;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Issuers;

[Collection(NodeCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class IssuerRemovalTests(LocalAnvilNode node)
{
    [Fact]
    public async Task A_removed_issuer_keeps_its_past_credentials_valid_and_can_do_nothing_new()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Closing College");
        var (app, issuer, client) = started;
        var ids = await app.IssueAndAnchorAsync(client, Samples.Badge("did:example:last-graduate"), Samples.Plain());

        await ProblemTests.ExpectProblemAsync(await client.PostAsync($"/issuers/{issuer.Id}/remove", null), HttpStatusCode.Forbidden);
        var removed = await app.Admin().PostAsync($"/issuers/{issuer.Id}/remove", null);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var removal = (await removed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("removed", removal["issuer"]!["status"]!.GetValue<string>());
        // A plain removal voids nothing: everything anchored so far stays trusted.
        Assert.Empty(removal["voidedBatches"]!.AsArray());
        Assert.Empty(removal["voidedCredentials"]!.AsArray());
        await ProblemTests.ExpectProblemAsync(await app.Admin().PostAsync($"/issuers/{issuer.Id}/remove", null), HttpStatusCode.Conflict);
        await ProblemTests.ExpectProblemAsync(await app.Admin().PostAsync($"/issuers/{Guid.NewGuid()}/remove", null), HttpStatusCode.NotFound);

        var verdict = await app.VerifyAsync(await client.PortableAsync(ids[0]));
        Assert.True(verdict["verified"]!.GetValue<bool>(), verdict.ToJsonString());
        var issuerCheck = verdict["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "issuer")!;
        Assert.Equal("passed", issuerCheck["status"]!.GetValue<string>());

        // One rule refuses each act of a removed issuer, each with its own words.
        var refusals = new (HttpResponseMessage Response, string Act)[]
        {
            (await client.PostAsJsonAsync("/credentials", Samples.Plain()), "can no longer issue."),
            (await client.PostAsJsonAsync("/credentials/bulk", new JsonArray(Samples.Plain())), "can no longer issue."),
            (await client.PostAsync("/batches", null), "can no longer anchor."),
            (await client.PostAsJsonAsync($"/credentials/{ids[1]}/revoke", new { reason = "closing" }), "can no longer revoke; the operator revokes for it now."),
        };
        foreach (var (response, act) in refusals)
        {
            var problem = await ProblemTests.ExpectProblemAsync(response, HttpStatusCode.Forbidden);
            Assert.Equal("Issuer removed", problem["title"]!.GetValue<string>());
            Assert.EndsWith(act, problem["detail"]!.GetValue<string>());
        }
        Assert.Equal("removed", (await app.CreateClient().GetFromJsonAsync<JsonObject>($"/issuers/{issuer.Id}"))!["status"]!.GetValue<string>());
    }
}
