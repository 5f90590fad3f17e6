using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Api;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Attacks;

/// <summary>
/// An issuer's key is stolen: the operator removes the issuer as compromised since the thief's first
/// anchor. What was anchored before stays valid; what the thief anchored is void, and the operator can
/// still revoke for the removed issuer.
/// </summary>
[Collection(RegistryCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class StolenKeyTests(SharedRegistry registry)
{
    [Fact]
    public async Task A_compromise_removal_voids_later_batches_keeps_earlier_ones_and_lets_the_operator_revoke()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(registry.Node.RpcUrl, "Stolen Key College");
        var (app, issuer, client) = started;
        var honest = await app.IssueAndAnchorAsync(client, Samples.Badge("did:example:honest-graduate"), Samples.Plain());
        // The thief signs with the same key; through the registry or not, it is the issuer's account.
        var (stolen, stolenBatch) = await client.IssueAndSealAsync(Samples.Badge("did:example:never-studied"));
        var thiefBatch = await RegistryApp.WaitForBatchAsync(client, stolenBatch, "anchored");
        var compromisedSince = thiefBatch["anchoredAt"]!.GetValue<DateTimeOffset>();

        // Only the admin removes, and not from the future.
        await ProblemTests.ExpectProblemAsync(
            await client.PostAsJsonAsync($"/issuers/{issuer.Id}/remove", new { compromisedSince }), HttpStatusCode.Forbidden);
        await ProblemTests.ExpectProblemAsync(
            await app.Admin().PostAsJsonAsync($"/issuers/{issuer.Id}/remove", new { compromisedSince = DateTimeOffset.UtcNow.AddDays(30) }),
            HttpStatusCode.BadRequest);

        var response = await app.Admin().PostAsJsonAsync($"/issuers/{issuer.Id}/remove", new { compromisedSince });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var removal = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("removed", removal["issuer"]!["status"]!.GetValue<string>());
        Assert.Equal(compromisedSince.AddSeconds(-1), removal["trustedUntil"]!.GetValue<DateTimeOffset>());
        Assert.Equal([stolenBatch], removal["voidedBatches"]!.AsArray().Select(b => b!.GetValue<string>()));
        Assert.Equal(stolen, removal["voidedCredentials"]!.AsArray().Select(c => c!.GetValue<string>()));

        // Earlier credentials verify; the thief's fail at issuer and show as voided.
        foreach (var id in honest)
            Assert.True((await app.VerifyAsync(await client.PortableAsync(id)))["verified"]!.GetValue<bool>());
        var stolenPortable = await client.PortableAsync(stolen[0]);
        var verdict = await app.VerifyAsync(stolenPortable);
        Assert.Equal("issuer", verdict.FailedCheck()!["name"]!.GetValue<string>());
        Assert.Contains("void", verdict.FailedCheck()!["message"]!.GetValue<string>());
        Assert.Equal("voided", (await client.GetFromJsonAsync<JsonObject>($"/credentials/{stolen[0]}"))!["status"]!.GetValue<string>());
        Assert.True((await client.GetFromJsonAsync<JsonObject>($"/batches/{stolenBatch}"))!["voided"]!.GetValue<bool>());

        // The key can no longer revoke; the operator revokes for the removed issuer, under its name.
        var refused = await ProblemTests.ExpectProblemAsync(
            await client.PostAsJsonAsync($"/credentials/{honest[0]}/revoke", new { reason = "by the thief" }), HttpStatusCode.Forbidden);
        Assert.Equal("Issuer removed", refused["title"]!.GetValue<string>());
        Assert.Contains("the operator revokes for it now", refused["detail"]!.GetValue<string>());
        var byOperator = await app.Admin().PostAsJsonAsync($"/issuers/{issuer.Id}/revoke", new { ids = new[] { honest[0] }, reason = "revoked by the operator" });
        Assert.Equal(HttpStatusCode.Accepted, byOperator.StatusCode);
        verdict = await app.VerifyAsync(await client.PortableAsync(honest[0]));
        Assert.Equal("revocation", verdict.FailedCheck()!["name"]!.GetValue<string>());
        Assert.Contains("revoked by the operator", verdict.FailedCheck()!["message"]!.GetValue<string>());
        Assert.Equal("revoked", (await client.GetFromJsonAsync<JsonObject>($"/credentials/{honest[0]}"))!["status"]!.GetValue<string>());
        Assert.True((await app.VerifyAsync(await client.PortableAsync(honest[1])))["verified"]!.GetValue<bool>());

        // Trust only shrinks: a later compromise moment is refused, an earlier one voids the earlier batch too.
        await ProblemTests.ExpectProblemAsync(
            await app.Admin().PostAsJsonAsync($"/issuers/{issuer.Id}/remove", new { compromisedSince }), HttpStatusCode.Conflict);
        var earlier = (await client.GetFromJsonAsync<JsonObject>($"/credentials/{honest[1]}"))!["batchId"]!.GetValue<string>();
        var earlierAt = (await client.GetFromJsonAsync<JsonObject>($"/batches/{earlier}"))!["anchoredAt"]!.GetValue<DateTimeOffset>();
        var lowered = (await (await app.Admin().PostAsJsonAsync($"/issuers/{issuer.Id}/remove", new { compromisedSince = earlierAt }))
            .Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains(earlier, lowered["voidedBatches"]!.AsArray().Select(b => b!.GetValue<string>()));
        Assert.Equal("issuer", (await app.VerifyAsync(await client.PortableAsync(honest[1]))).FailedCheck()!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_operator_revokes_only_for_a_removed_issuer()
    {
        var response = await registry.App.Admin().PostAsJsonAsync($"/issuers/{registry.Issuer.Id}/revoke",
            new { ids = new[] { registry.CredentialIds[0] }, reason = "not yet" });
        await ProblemTests.ExpectProblemAsync(response, HttpStatusCode.Conflict);
        await ProblemTests.ExpectProblemAsync(
            await registry.IssuerClient.PostAsJsonAsync($"/issuers/{registry.Issuer.Id}/revoke", new { ids = new[] { registry.CredentialIds[0] }, reason = "x" }),
            HttpStatusCode.Forbidden);
        Assert.Equal("anchored", (await registry.IssuerClient.GetFromJsonAsync<JsonObject>($"/credentials/{registry.CredentialIds[0]}"))!["status"]!.GetValue<string>());
    }
}
