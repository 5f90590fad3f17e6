using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Chain;
using Registry.Hashing;
using Registry.Tests.Api;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Revocation;

/// <summary>Revocation through the API, on the real contract, seen by every verifier.</summary>
[Collection(RegistryCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class RevocationTests(SharedRegistry registry)
{
    [Fact]
    public async Task A_revoked_credential_fails_at_revocation_and_its_siblings_still_verify()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(registry.Node.RpcUrl, "Revoking Institute");
        var (app, _, client) = started;
        var ids = await app.IssueAndAnchorAsync(client, Samples.Badge("did:example:a"), Samples.Badge("did:example:b"), Samples.Badge("did:example:c"));

        // Verified once before: what the verifier remembers must not hide the revocation that follows.
        Assert.True((await app.VerifyAsync(await client.PortableAsync(ids[0])))["verified"]!.GetValue<bool>());

        var response = await client.PostAsJsonAsync($"/credentials/{ids[0]}/revoke", new { reason = "Awarded in error: exam retaken" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var revocation = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.InRange(revocation["gasUsed"]!.GetValue<long>(), 21_000, 80_000);

        var status = (await client.GetFromJsonAsync<JsonObject>($"/credentials/{ids[0]}"))!;
        Assert.Equal("revoked", status["status"]!.GetValue<string>());
        Assert.Equal("Awarded in error: exam retaken", status["revocationReason"]!.GetValue<string>());
        Assert.NotNull(status["revokedAt"]);

        var verdict = await app.VerifyAsync(await client.PortableAsync(ids[0]));
        var failed = verdict.FailedCheck()!;
        Assert.Equal("revocation", failed["name"]!.GetValue<string>());
        Assert.Contains("Awarded in error: exam retaken", failed["message"]!.GetValue<string>());
        // The sentence gives the time of the block that revoked it (the chain's clock, which may be ahead of this one's).
        var revokedAt = verdict["revokedAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(status["revokedAt"]!.GetValue<DateTimeOffset>(), revokedAt);
        Assert.Contains($"Revoked on {revokedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}", failed["message"]!.GetValue<string>());
        // The verdict's sentence is the revocation check's own failure sentence, not what passing it means.
        var revocationCheck = Registry.Verification.CredentialVerifier.Check("revocation");
        Assert.Equal("not-verified", verdict["outcome"]!.GetValue<string>());
        Assert.EndsWith(revocationCheck.Failure, verdict["summary"]!.GetValue<string>());
        Assert.DoesNotContain(revocationCheck.Description, verdict["summary"]!.GetValue<string>());

        foreach (var sibling in ids.Skip(1))
            Assert.True((await app.VerifyAsync(await client.PortableAsync(sibling)))["verified"]!.GetValue<bool>());

        // The CLI, reading only the chain, agrees.
        var file = Path.Combine(TempFolder.Create(), "revoked.json");
        await File.WriteAllTextAsync(file, (await client.PortableAsync(ids[0])).ToJsonString());
        var contract = (await client.PortableAsync(ids[0])).AnchorProof()["anchor"]!["registry"]!.GetValue<string>();
        var cli = await Cli.CliTests.RunAsync("verify", file, "--rpc", registry.Node.RpcUrl.ToString(), "--registry", contract, "--json");
        Assert.Equal(1, cli.ExitCode);
        var cliRevocation = JsonNode.Parse(cli.Output)!["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "revocation")!;
        Assert.Equal("failed", cliRevocation["status"]!.GetValue<string>());
        Assert.Contains("Awarded in error", cliRevocation["message"]!.GetValue<string>());
        var table = await Cli.CliTests.RunAsync("verify", file, "--rpc", registry.Node.RpcUrl.ToString(), "--registry", contract);
        Assert.Equal(1, table.ExitCode);
        Assert.Contains(revocationCheck.Failure, table.Output.ReplaceLineEndings(" "));

        // Twice is a conflict.
        await ProblemTests.ExpectProblemAsync(
            await client.PostAsJsonAsync($"/credentials/{ids[0]}/revoke", new { reason = "again" }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Revocation_refuses_bad_reasons_other_issuers_auditors_and_pending_credentials()
    {
        var id = registry.CredentialIds[2];
        var client = registry.IssuerClient;
        await ProblemTests.ExpectProblemAsync(await client.PostAsJsonAsync($"/credentials/{id}/revoke", new { reason = "" }), HttpStatusCode.BadRequest);
        await ProblemTests.ExpectProblemAsync(await client.PostAsJsonAsync($"/credentials/{id}/revoke", new { }), HttpStatusCode.BadRequest);
        await ProblemTests.ExpectProblemAsync(await client.PostAsJsonAsync($"/credentials/{id}/revoke", new { reason = new string('x', 257) }), HttpStatusCode.BadRequest);
        await ProblemTests.ExpectProblemAsync(await client.PostAsJsonAsync($"/credentials/{id}/revoke", new { reason = new string('é', 200) }), HttpStatusCode.BadRequest);

        var other = await registry.App.AddIssuerAsync("Nosy Neighbour College");
        await ProblemTests.ExpectProblemAsync(
            await other.Client.PostAsJsonAsync($"/credentials/{id}/revoke", new { reason = "mine now" }), HttpStatusCode.NotFound);
        var auditor = await registry.App.CreateAuditorAsync();
        await ProblemTests.ExpectProblemAsync(await auditor.PostAsJsonAsync($"/credentials/{id}/revoke", new { reason = "audit" }), HttpStatusCode.Forbidden);
        await ProblemTests.ExpectProblemAsync(
            await client.PostAsJsonAsync($"/credentials/{Guid.NewGuid()}/revoke", new { reason = "nothing" }), HttpStatusCode.NotFound);

        var pending = (await (await client.PostAsJsonAsync("/credentials", Samples.Plain())).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await ProblemTests.ExpectProblemAsync(await client.PostAsJsonAsync($"/credentials/{pending}/revoke", new { reason = "too early" }), HttpStatusCode.Conflict);

        // None of that revoked anything.
        Assert.True((await registry.App.VerifyAsync(await client.PortableAsync(id)))["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Many_credentials_of_one_batch_are_revoked_with_one_multiproof()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(registry.Node.RpcUrl, "Bulk Revocation University");
        var (app, _, client) = started;
        var ids = await app.IssueAndAnchorAsync(client, Enumerable.Range(0, 8).Select(i => Samples.Badge($"did:example:s{i}")).ToArray());
        var revoked = new[] { ids[1], ids[4], ids[5], ids[7] };

        var response = await client.PostAsJsonAsync("/credentials/revoke", new { ids = revoked, reason = "Course accreditation withdrawn" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(4, result["ids"]!.AsArray().Count);
        Assert.True(result["gasPerCredential"]!.GetValue<long>() < 66_000, result.ToJsonString());

        foreach (var id in ids)
        {
            var verdict = await app.VerifyAsync(await client.PortableAsync(id));
            if (revoked.Contains(id)) Assert.Equal("revocation", verdict.FailedCheck()!["name"]!.GetValue<string>());
            else Assert.True(verdict["verified"]!.GetValue<bool>(), verdict.ToJsonString());
        }

        // Mixed batches, repeats and already revoked credentials are refused without sending anything.
        var other = await app.IssueAndAnchorAsync(client, Samples.Plain());
        var mixed = await ProblemTests.ExpectProblemAsync(
            await client.PostAsJsonAsync("/credentials/revoke", new { ids = new[] { ids[0], other[0] }, reason = "x" }), HttpStatusCode.BadRequest);
        Assert.Equal("Bad request", mixed["title"]!.GetValue<string>());
        Assert.Contains("same batch", mixed["detail"]!.GetValue<string>());
        await ProblemTests.ExpectProblemAsync(await client.PostAsJsonAsync("/credentials/revoke", new { ids = new[] { ids[0], ids[0] }, reason = "x" }), HttpStatusCode.BadRequest);
        await ProblemTests.ExpectProblemAsync(await client.PostAsJsonAsync("/credentials/revoke", new { ids = new[] { ids[0], ids[1] }, reason = "x" }), HttpStatusCode.Conflict);
        await ProblemTests.ExpectProblemAsync(await client.PostAsJsonAsync("/credentials/revoke", new { ids = Array.Empty<string>(), reason = "x" }), HttpStatusCode.BadRequest);
        Assert.True((await app.VerifyAsync(await client.PortableAsync(ids[0])))["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_revocation_the_store_missed_is_recorded_from_the_chain()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(registry.Node.RpcUrl, "Forgetful Faculty");
        var (app, issuer, client) = started;
        var ids = await app.IssueAndAnchorAsync(client, Samples.Plain(), Samples.Badge());

        // What a crash right after sending leaves: revoked on chain, not in the store.
        var portable = await client.PortableAsync(ids[0]);
        var proof = portable.AnchorProof();
        var key = app.PrivateKeyOf(issuer);
        var writer = new RegistryWriter(new ChainConnection(registry.Node.RpcUrl), key, DevelopmentChain.ChainId, proof["anchor"]!["registry"]!.GetValue<string>());
        await writer.RevokeAsync(Bytes32.Parse(proof["merkleRoot"]!.GetValue<string>()), Bytes32.Parse(proof["digest"]!.GetValue<string>()),
            proof["merkleProof"]!.AsArray().Select(h => Bytes32.Parse(h!.GetValue<string>())).ToList(), "sent before a crash");
        Assert.Equal("anchored", (await client.GetFromJsonAsync<JsonObject>($"/credentials/{ids[0]}"))!["status"]!.GetValue<string>());

        await ProblemTests.ExpectProblemAsync(await client.PostAsJsonAsync($"/credentials/{ids[0]}/revoke", new { reason = "again" }), HttpStatusCode.Conflict);
        var status = (await client.GetFromJsonAsync<JsonObject>($"/credentials/{ids[0]}"))!;
        Assert.Equal("revoked", status["status"]!.GetValue<string>());
        Assert.Equal("sent before a crash", status["revocationReason"]!.GetValue<string>());
    }
}
