using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Api.Storage;
using Registry.Tests.Api;
using Registry.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Registry.Tests.Audit;

/// <summary>The auditor's view comes from the chain and catches a store that no longer matches it.</summary>
[Collection(RegistryCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class AuditTests(SharedRegistry registry)
{
    [Fact]
    public async Task Events_are_decoded_from_the_chain_and_paged()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(registry.Node.RpcUrl, "Audited Academy");
        var (app, issuer, client) = started;
        var ids = await app.IssueAndAnchorAsync(client, Samples.Plain(), Samples.Badge());
        await client.PostAsJsonAsync($"/credentials/{ids[0]}/revoke", new { reason = "Identity fraud" });
        var auditor = await app.CreateAuditorAsync();

        var page = (await auditor.GetFromJsonAsync<JsonObject>("/audit/events"))!;
        var events = page["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(["IssuerAdded", "Anchored", "Revoked"], events.Select(e => e["type"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal(issuer.Address, e["issuer"]!.GetValue<string>()));
        Assert.Equal("Audited Academy", events[0]["name"]!.GetValue<string>());
        Assert.Equal(2, events[1]["count"]!.GetValue<int>());
        Assert.Equal("Identity fraud", events[2]["reason"]!.GetValue<string>());
        var digest = (await client.GetFromJsonAsync<JsonObject>($"/credentials/{ids[0]}"))!["digest"]!.GetValue<string>();
        Assert.Equal(digest, events[2]["digest"]!.GetValue<string>());

        // One event a page, following `next`, gives the same events.
        var paged = new List<string>();
        string? next = "/audit/events?limit=1";
        while (next is not null)
        {
            var onePage = (await auditor.GetFromJsonAsync<JsonObject>(next))!;
            paged.AddRange(onePage["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
            next = onePage["next"]?.GetValue<string>();
        }
        Assert.Equal(["IssuerAdded", "Anchored", "Revoked"], paged);

        await ProblemTests.ExpectProblemAsync(await auditor.GetAsync("/audit/events?fromBlock=10&toBlock=5"), HttpStatusCode.BadRequest);
        await ProblemTests.ExpectProblemAsync(await client.GetAsync("/audit/events"), HttpStatusCode.Forbidden);
        await ProblemTests.ExpectProblemAsync(await app.CreateClient().GetAsync("/audit/events"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync("/audit/events")).StatusCode);

        var revocations = (await auditor.GetFromJsonAsync<JsonObject>($"/audit/revocations?issuer={issuer.Did}"))!["items"]!.AsArray();
        var revocation = Assert.Single(revocations)!;
        Assert.Equal("Identity fraud", revocation["reason"]!.GetValue<string>());
        Assert.Equal(ids[0], revocation["credentialId"]!.GetValue<string>());
        Assert.Single((await auditor.GetFromJsonAsync<JsonObject>($"/audit/revocations?issuer={issuer.Id}&since=2020-01-01T00:00:00Z"))!["items"]!.AsArray());
        Assert.Empty((await auditor.GetFromJsonAsync<JsonObject>($"/audit/revocations?since={DateTime.UtcNow.AddDays(1):yyyy-MM-dd'T'HH:mm:ss'Z'}"))!["items"]!.AsArray());
        Assert.Empty((await auditor.GetFromJsonAsync<JsonObject>($"/audit/revocations?issuer=0x{new string('9', 40)}"))!["items"]!.AsArray());
        await ProblemTests.ExpectProblemAsync(await auditor.GetAsync("/audit/revocations?since=last-week"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Before_the_index_has_read_the_chain_the_audit_answers_503()
    {
        // No node at this address: the chain index has read nothing, so an answer from it would be empty rather than true.
        await using var app = new RegistryApp(new Uri($"http://127.0.0.1:{FreePorts.Next()}"));
        var auditor = await app.CreateAuditorAsync();
        var problem = await ProblemTests.ExpectProblemAsync(await auditor.GetAsync("/audit/events"), HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Chain index not ready", problem["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_altered_after_anchoring_is_detected()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(registry.Node.RpcUrl, "Tampered Records Institute");
        var (app, issuer, client) = started;
        var ids = await app.IssueAndAnchorAsync(client, Samples.Badge("did:example:x"), Samples.Badge("did:example:y"), Samples.Plain());
        var batchId = (await client.GetFromJsonAsync<JsonObject>($"/credentials/{ids[0]}"))!["batchId"]!.GetValue<string>();
        var auditor = await app.CreateAuditorAsync();

        var clean = (await auditor.GetFromJsonAsync<JsonObject>($"/audit/batches/{batchId}"))!;
        Assert.True(clean["matches"]!.GetValue<bool>(), clean.ToJsonString());
        Assert.Equal(clean["chainRoot"]!.GetValue<string>(), clean["recomputedRoot"]!.GetValue<string>());

        if (TestStore.DatabaseUrlFor(app.DataDir) is { } database)
        {
            // Someone with access to the database changes a learner in each of two stored credentials.
            await using var connection = new Npgsql.NpgsqlConnection(Registry.Api.Storage.Postgres.DatabaseUrl.ToConnectionString(database));
            await connection.OpenAsync();
            foreach (var (from, to) in new[] { ("did:example:y", "did:example:z"), ("did:example:x", "did:example:w") })
            {
                await using var alter = new Npgsql.NpgsqlCommand(
                    "update credentials set document = convert_to(replace(convert_from(document, 'UTF8'), $1, $2), 'UTF8') " +
                    "where position(convert_to($1, 'UTF8') in document) > 0", connection);
                alter.Parameters.AddWithValue(from);
                alter.Parameters.AddWithValue(to);
                Assert.Equal(1, await alter.ExecuteNonQueryAsync());
            }
        }
        else
        {
            // Someone with access to the disk changes a learner in a stored credential, and mends the record's checksum;
            // someone else changes a byte of another credential and leaves the checksum as it was.
            var log = Path.Combine(app.DataDir, CredentialStore.CredentialsFileName);
            var bytes = await File.ReadAllBytesAsync(log);
            RewriteRecord(bytes, "did:example:y"u8, "did:example:z"u8, mendChecksum: true);
            RewriteRecord(bytes, "did:example:x"u8, "did:example:w"u8, mendChecksum: false);
            await File.WriteAllBytesAsync(log, bytes);
        }

        var altered = (await auditor.GetFromJsonAsync<JsonObject>($"/audit/batches/{batchId}"))!;
        Assert.False(altered["matches"]!.GetValue<bool>());
        Assert.NotEqual(altered["chainRoot"]!.GetValue<string>(), altered["recomputedRoot"]!.GetValue<string>());
        Assert.Equal(ids.Take(2).Order(), altered["alteredCredentials"]!.AsArray().Select(i => i!.GetValue<string>()).Order());

        await ProblemTests.ExpectProblemAsync(await auditor.GetAsync($"/audit/batches/{new string('0', 32)}"), HttpStatusCode.NotFound);
        await ProblemTests.ExpectProblemAsync(await auditor.GetAsync("/audit/batches/unknown"), HttpStatusCode.BadRequest);
        await ProblemTests.ExpectProblemAsync(await client.GetAsync($"/audit/batches/{batchId}"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_cli_audits_from_the_chain_alone()
    {
        var result = await Cli.CliTests.RunAsync("audit", "--rpc", registry.Node.RpcUrl.ToString(), "--registry", registry.Contract, "--json");
        Assert.True(result.ExitCode == 0, result.Output);
        var report = JsonNode.Parse(result.Output)!;
        Assert.Contains(report["issuers"]!.AsArray(), i => i!["address"]!.GetValue<string>() == registry.Issuer.Address);
        Assert.Contains(report["anchors"]!.AsArray(), a => a!["root"]!.GetValue<string>() == registry.Portable.AnchorProof()["merkleRoot"]!.GetValue<string>());

        var table = await Cli.CliTests.RunAsync("audit", "--rpc", registry.Node.RpcUrl.ToString(), "--registry", registry.Contract, "--from-block", "1");
        Assert.True(table.ExitCode == 0, table.Output);
        Assert.Contains("Anchors", table.Output);
        Assert.Equal(2, (await Cli.CliTests.RunAsync("audit", "--rpc", registry.Node.RpcUrl.ToString())).ExitCode);
    }

    /// <summary>Replaces text inside the one log record that holds it, as someone editing the file would.</summary>
    private static void RewriteRecord(byte[] log, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, bool mendChecksum)
    {
        var at = log.AsSpan().IndexOf(from);
        Assert.True(at > 0);
        Assert.Equal(-1, log.AsSpan(at + 1).IndexOf(from));
        to.CopyTo(log.AsSpan(at));
        for (var offset = AppendLog.HeaderSize; offset < log.Length;)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(log.AsSpan(offset));
            if (at < offset + AppendLog.FrameSize + length)
            {
                if (mendChecksum)
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(log.AsSpan(offset + 4),
                        AppendLog.Checksum(log.AsSpan(offset + AppendLog.FrameSize, length)));
                return;
            }
            offset += AppendLog.FrameSize + length;
        }
        Assert.Fail("No record holds the text.");
    }
}
