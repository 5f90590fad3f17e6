using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Registry.Api.Storage.Postgres;
using Registry.Hashing;
using Registry.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Registry.Tests.Anchoring;

/// <summary>
/// Two registry processes on one PostgreSQL database and one local node: both issue, one anchors. The
/// anchoring one is killed with SIGKILL while its transactions wait unmined in the node's pool; the other
/// takes the lease within ten seconds, carries the unfinished batches to the chain, and every credential
/// either of them accepted is anchored exactly once and verifies through it.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_anchoring_instance_killed_mid_anchoring_is_replaced_within_ten_seconds_and_every_credential_anchors_once()
    {
        await using var node = await LocalNode.StartAsync<LocalAnvilNode>();
        // Sealed by size or within a second, so that both instances' credentials are in batches soon.
        await using var instances = await TwoInstances.StartAsync(node.RpcUrl, new Dictionary<string, string>
        {
            ["REGISTRY_MAX_BATCH_SIZE"] = "150",
            ["REGISTRY_MAX_DELAY_SECONDS"] = "1",
        });
        var (a, b, database) = (instances.A, instances.B, instances.DatabaseUrl);

        // One issuer created through each instance; each issues through both.
        var issuers = new[] { await a.CreateAsync<CreatedIssuer>("/issuers", "Failover College"), await b.CreateAsync<CreatedIssuer>("/issuers", "Takeover Institute") };
        var accepted = new List<(string Id, string IssuerAddress)>();
        async Task IssueAsync(RegistryProcess through, int round)
        {
            foreach (var issuer in issuers)
            {
                using var client = through.ClientWithKey(issuer.ApiKey);
                var items = new JsonArray(Enumerable.Range(0, 100).Select(i => (JsonNode)Samples.Badge($"did:example:{through.Pid}-{round}-{i}")).ToArray());
                var response = await client.PostAsJsonAsync("/credentials/bulk", items);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                accepted.AddRange(answer["items"]!.AsArray().Select(item => (item!["id"]!.GetValue<string>(), issuer.Address)));
            }
        }

        // Blocks are mined only when the test says so: what the anchoring instance sends waits in the pool.
        await node.RpcAsync("evm_setAutomine", false);
        await IssueAsync(a, 0);
        await IssueAsync(b, 1);
        using var db = new NpgsqlConnection(DatabaseUrl.ToConnectionString(database));
        await db.OpenAsync();
        await Eventually.TrueAsync(async () => await CountAsync(db, "select count(*) from batches where state = 'submitted'") >= 2,
            "a batch of each issuer sent and waiting in the pool", TimeSpan.FromSeconds(30));

        var leaderPid = await LeaderPidAsync(db);
        var (leader, survivor) = leaderPid == a.Pid ? (a, b) : (b, a);
        Assert.Equal(leader.Pid, leaderPid);
        await leader.KillAsync();
        var killed = Stopwatch.StartNew();
        // Issuance goes on through the survivor while nobody anchors.
        await IssueAsync(survivor, 2);
        await Eventually.TrueAsync(async () => await LeaderPidAsync(db) == survivor.Pid, "the survivor to take the anchoring lease", TimeSpan.FromSeconds(15));
        var takeover = killed.Elapsed;
        output.WriteLine($"The survivor took the anchoring lease {takeover.TotalSeconds:0.0} s after the kill.");
        Assert.True(takeover <= TimeSpan.FromSeconds(10), $"The survivor took over {takeover.TotalSeconds:0.0} s after the kill.");

        await node.RpcAsync("evm_setAutomine", true);
        await node.RpcAsync("evm_mine");
        await Eventually.TrueAsync(async () =>
                await CountAsync(db, "select count(*) from pending_credentials") == 0
                && await CountAsync(db, "select count(*) from batches where state <> 'anchored'") == 0,
            "every credential in an anchored batch", TimeSpan.FromSeconds(60));

        // Each accepted credential is the member of exactly one batch, anchored.
        var memberships = await CountAsync(db,
            "select count(*) from batch_members m join batches b on b.id = m.batch_id where b.state = 'anchored' and m.credential_id = any($1)",
            accepted.Select(c => Guid.Parse(c.Id)).ToArray());
        Assert.Equal(accepted.Count, memberships);
        Assert.Equal(accepted.Count, await CountAsync(db, "select count(distinct credential_id) from batch_members"));
        Assert.Equal(accepted.Count, await CountAsync(db, "select count(*) from credentials"));

        // On chain: one Anchored event per batch, and every transaction of an issuer's account is one of them
        // (no nonce spent twice, no anchor refused as a duplicate).
        var contract = (await survivor.WaitForHealthAsync())["registry"]!.GetValue<string>();
        var anchoredTopic = Keccak256.Hash("Anchored(address,bytes32,uint32)"u8).ToString();
        var logs = (await node.RpcAsync("eth_getLogs", new { fromBlock = "0x0", toBlock = "latest", address = contract, topics = new[] { anchoredTopic } }))
            .EnumerateArray().ToList();
        var batches = await CountAsync(db, "select count(*) from batches");
        Assert.Equal(batches, logs.Count);
        Assert.Equal(batches, logs.Select(l => l.GetProperty("topics")[2].GetString()).Distinct().Count());
        foreach (var issuer in issuers)
        {
            var sent = Convert.ToInt64((await node.RpcAsync("eth_getTransactionCount", issuer.Address, "latest")).GetString(), 16);
            var anchors = logs.Count(l => l.GetProperty("topics")[1].GetString()!.EndsWith(issuer.Address[2..], StringComparison.OrdinalIgnoreCase));
            Assert.True(anchors > 0);
            Assert.Equal(anchors, sent);
        }

        // Credentials accepted by the killed instance verify through the survivor.
        foreach (var issuer in issuers)
        {
            using var client = survivor.ClientWithKey(issuer.ApiKey);
            var fromLeader = accepted.First(c => c.IssuerAddress == issuer.Address);
            var portable = await client.GetFromJsonAsync<JsonObject>($"/credentials/{fromLeader.Id}/credential.json");
            var verdict = await (await client.PostAsJsonAsync("/verify", portable)).Content.ReadFromJsonAsync<JsonObject>();
            Assert.True(verdict!["verified"]!.GetValue<bool>(), verdict.ToJsonString());
        }
    }

    /// <summary>The process id in the live lease's holder ("host pid N suffix"); 0 when no lease is live.</summary>
    private static async Task<int> LeaderPidAsync(NpgsqlConnection db)
    {
        await using var command = new NpgsqlCommand("select holder from anchoring_lease where expires_at > clock_timestamp()", db);
        return await command.ExecuteScalarAsync() is string holder && holder.Split(' ') is [.., "pid", var pid, _] ? int.Parse(pid) : 0;
    }

    private static async Task<long> CountAsync(NpgsqlConnection db, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, db);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
