using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Registry.Api.Storage.Postgres;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Storage;

/// <summary>
/// The registry on a PostgreSQL cluster of this test's own, which the test crashes (<c>pg_ctl stop -m
/// immediate</c>) while clients keep issuing, and starts again a few seconds later: meanwhile every
/// request is answered at once with a 503 problem document and Retry-After (never a 500, never a hang);
/// afterwards the registry serves and anchors again by itself, and every credential it acknowledged is there.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class DatabaseOutageTests(LocalAnvilNode node)
{
    [Fact]
    public async Task Requests_while_the_database_is_down_get_a_503_and_nothing_acknowledged_is_lost()
    {
        var cluster = PostgresServer.StartOwn();
        try
        {
            var database = cluster.NewDatabase();
            var settings = RegistryProcess.Settings(node.RpcUrl);
            settings["REGISTRY_DATABASE_URL"] = database;
            settings["REGISTRY_KEYSTORE_PASSWORD"] = "outage keystore password";
            settings["REGISTRY_MAX_DELAY_SECONDS"] = "1";
            await using var registryProcess = RegistryProcess.Start(settings);
            await registryProcess.WaitForHealthAsync();
            using var admin = registryProcess.ClientWithKey(RegistryApp.AdminKey, 20);
            var created = await admin.PostAsJsonAsync("/issuers", new { name = "Outage Polytechnic" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var issuer = (await created.Content.ReadFromJsonAsync<CreatedIssuer>(Infrastructure.Json.Web))!;
            using var client = registryProcess.ClientWithKey(issuer.ApiKey, 20);

            // One client issues without pause throughout; every answer is recorded.
            var acknowledged = new List<string>();
            var refusals = new List<HttpResponseMessage>();
            var others = new List<string>();
            var down = false;
            var acknowledgedAfterRestart = 0;
            using var stop = new CancellationTokenSource();
            var sender = Task.Run(async () =>
            {
                for (var round = 0; !stop.IsCancellationRequested; round++)
                {
                    var items = new JsonArray(Enumerable.Range(0, 20).Select(i => (JsonNode)Samples.Badge($"did:example:outage-{round}-{i}")).ToArray());
                    var response = await client.PostAsJsonAsync("/credentials/bulk", items); // a hang fails the test at the client's timeout
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                        lock (acknowledged)
                        {
                            acknowledged.AddRange(answer["items"]!.AsArray().Select(item => item!["id"]!.GetValue<string>()));
                            if (!Volatile.Read(ref down) && refusals.Count > 0) acknowledgedAfterRestart++;
                        }
                    }
                    else if (response.StatusCode == HttpStatusCode.ServiceUnavailable) lock (acknowledged) refusals.Add(response);
                    else
                    {
                        var text = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                        lock (acknowledged) others.Add(text);
                    }
                    await Task.Delay(50);
                }
            });
            await Eventually.TrueAsync(() => { lock (acknowledged) return acknowledged.Count >= 100; }, "100 credentials acknowledged", TimeSpan.FromSeconds(30));

            Volatile.Write(ref down, true);
            cluster.Crash();
            await Eventually.TrueAsync(() => { lock (acknowledged) return refusals.Count >= 3; }, "requests refused while the database is down", TimeSpan.FromSeconds(15));
            // Reading is refused the same way.
            var read = await client.GetAsync($"/credentials/{acknowledged[0]}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
            // So is a key this instance does not hold, which it would look up in the database: no verdict on the key.
            using var stranger = registryProcess.ClientWithKey(Registry.Api.Security.ApiKeyDirectory.NewKey(), 20);
            var unknownKey = await stranger.GetAsync($"/credentials/{acknowledged[0]}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unknownKey.StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(2));
            cluster.StartAgain();
            Volatile.Write(ref down, false);
            await Eventually.TrueAsync(() => { lock (acknowledged) return acknowledgedAfterRestart >= 3; }, "issuance to go on after the restart", TimeSpan.FromSeconds(30));
            stop.Cancel();
            await sender;

            Assert.Empty(others);
            foreach (var refusal in refusals.Prepend(read).Prepend(unknownKey))
            {
                Assert.Equal("application/problem+json", refusal.Content.Headers.ContentType?.MediaType);
                Assert.Equal(TimeSpan.FromSeconds(5), refusal.Headers.RetryAfter?.Delta);
                var problem = (await refusal.Content.ReadFromJsonAsync<JsonObject>())!;
                Assert.Equal(503, problem["status"]!.GetValue<int>());
                Assert.Equal("The database is unavailable", problem["title"]!.GetValue<string>());
            }

            // Every acknowledged credential is stored, and the registry anchors them all by itself.
            using var db = new NpgsqlConnection(DatabaseUrl.ToConnectionString(database));
            await db.OpenAsync();
            await using (var stored = new NpgsqlCommand("select count(*) from credentials where id = any($1)", db))
            {
                stored.Parameters.Add(new NpgsqlParameter { Value = acknowledged.Select(Guid.Parse).ToArray() });
                Assert.Equal(acknowledged.Count, Convert.ToInt32(await stored.ExecuteScalarAsync()));
            }
            var last = acknowledged[^1];
            await Eventually.TrueAsync(async () => (await client.GetFromJsonAsync<JsonObject>($"/credentials/{last}"))!["status"]!.GetValue<string>() == "anchored",
                "the last credential anchored", TimeSpan.FromSeconds(60));
            var portable = await client.GetFromJsonAsync<JsonObject>($"/credentials/{acknowledged[0]}/credential.json");
            var verdict = await (await client.PostAsJsonAsync("/verify", portable)).Content.ReadFromJsonAsync<JsonObject>();
            Assert.True(verdict!["verified"]!.GetValue<bool>(), verdict.ToJsonString());
        }
        finally
        {
            cluster.Stop();
        }
    }
}
