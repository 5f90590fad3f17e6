using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

// Measures a running registry over HTTP: bulk issuance (durably stored, 10,000 a request) and
// POST /verify with concurrent clients. Start the registry with REGISTRY_VERIFY_RATE_LIMIT=0.
// Usage: Registry.Load API_URL ADMIN_KEY [bulkRequests=5] [verifySeconds=10] [verifyClients=8]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Registry.Load API_URL ADMIN_KEY [bulkRequests] [verifySeconds] [verifyClients]");
    return 2;
}
var api = new Uri(args[0]);
var bulkRequests = args.Length > 2 ? int.Parse(args[2]) : 5;
var verifySeconds = args.Length > 3 ? int.Parse(args[3]) : 10;
var verifyClients = args.Length > 4 ? int.Parse(args[4]) : 8;

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = api, Timeout = TimeSpan.FromMinutes(5) };
var admin = new AuthenticationHeaderValue("Bearer", args[1]);

var create = new HttpRequestMessage(HttpMethod.Post, "/issuers") { Content = JsonContent.Create(new { name = "Load Test University" }) };
create.Headers.Authorization = admin;
var issuer = (await (await http.SendAsync(create)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!;
var issuerKey = new AuthenticationHeaderValue("Bearer", issuer["apiKey"]!.GetValue<string>());

// Bulk issuance: each request 10,000 distinct badges, sent one after the other.
var rows = new List<(string What, string Result)>();
var body = Encoding.UTF8.GetBytes(Bulk(10_000));
var issued = 0;
var clock = Stopwatch.StartNew();
for (var i = 0; i < bulkRequests; i++)
{
    var request = new HttpRequestMessage(HttpMethod.Post, "/credentials/bulk") { Content = new ByteArrayContent(body) };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    request.Headers.Authorization = issuerKey;
    var response = await http.SendAsync(request);
    if ((int)response.StatusCode != 202) throw new InvalidOperationException($"bulk: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    issued += 10_000;
}
var bulkRate = issued / clock.Elapsed.TotalSeconds;
rows.Add(("bulk issuance over HTTP, stored", $"{bulkRate:N0} credentials/s ({issued:N0} in {clock.Elapsed.TotalSeconds:N2} s, 10,000 a request)"));

// One credential to verify: seal, wait for the anchor, fetch its portable form.
var seal = new HttpRequestMessage(HttpMethod.Post, "/batches");
seal.Headers.Authorization = issuerKey;
var batchId = (await (await http.SendAsync(seal)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
clock.Restart();
while (true)
{
    var get = new HttpRequestMessage(HttpMethod.Get, $"/batches/{batchId}");
    get.Headers.Authorization = issuerKey;
    var batch = (await (await http.SendAsync(get)).Content.ReadFromJsonAsync<JsonObject>())!;
    if (batch["status"]!.GetValue<string>() == "anchored")
    {
        rows.Add(("seal and anchor a batch", $"{batch["count"]} credentials in {clock.Elapsed.TotalSeconds:N2} s, {batch["gasUsed"]} gas"));
        break;
    }
    await Task.Delay(50);
}
var issueOne = new HttpRequestMessage(HttpMethod.Post, "/credentials") { Content = new StringContent(Bulk(1)[1..^1], Encoding.UTF8, "application/json") };
issueOne.Headers.Authorization = issuerKey;
var credentialId = (await (await http.SendAsync(issueOne)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
var sealOne = new HttpRequestMessage(HttpMethod.Post, "/batches");
sealOne.Headers.Authorization = issuerKey;
await http.SendAsync(sealOne);
JsonObject? portable = null;
while (portable is null)
{
    var get = new HttpRequestMessage(HttpMethod.Get, $"/credentials/{credentialId}/credential.json");
    get.Headers.Authorization = issuerKey;
    var response = await http.SendAsync(get);
    if (response.IsSuccessStatusCode) portable = await response.Content.ReadFromJsonAsync<JsonObject>();
    else await Task.Delay(50);
}
var verifyBody = Encoding.UTF8.GetBytes(portable.ToJsonString());

// POST /verify: concurrent clients, each sending as fast as answers come back.
var latencies = new List<double>[verifyClients];
var deadline = DateTime.UtcNow.AddSeconds(verifySeconds);
var failures = 0;
clock.Restart();
await Task.WhenAll(Enumerable.Range(0, verifyClients).Select(async worker =>
{
    var mine = latencies[worker] = [];
    while (DateTime.UtcNow < deadline)
    {
        var started = Stopwatch.GetTimestamp();
        var content = new ByteArrayContent(verifyBody);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync("/verify", content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || !text.Contains("\"verified\":true")) Interlocked.Increment(ref failures);
        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}));
var elapsed = clock.Elapsed.TotalSeconds;
var all = latencies.SelectMany(l => l).Order().ToArray();
double Percentile(double p) => all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
rows.Add(($"POST /verify, {verifyClients} clients, {verifySeconds} s", $"{all.Length / elapsed:N0} verifications/s, p50 {Percentile(0.50):N1} ms, p99 {Percentile(0.99):N1} ms, {failures} not verified"));

var width = rows.Max(r => r.What.Length);
Console.WriteLine($"| {"what".PadRight(width)} | result |");
Console.WriteLine($"|{new string('-', width + 2)}|--------|");
foreach (var (what, result) in rows) Console.WriteLine($"| {what.PadRight(width)} | {result} |");
return failures == 0 ? 0 : 1;

static string Bulk(int count)
{
    var items = new JsonArray();
    var run = Guid.NewGuid().ToString("N")[..8];
    for (var i = 0; i < count; i++)
        items.Add(new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"),
            ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
            ["name"] = "Data Analysis with Python",
            ["validFrom"] = "2026-11-01T00:00:00Z",
            ["credentialSubject"] = new JsonObject
            {
                ["id"] = $"did:example:{run}-{i}",
                ["type"] = new JsonArray("AchievementSubject"),
                ["achievement"] = new JsonObject
                {
                    ["id"] = "https://oul.example/achievements/data-analysis",
                    ["type"] = new JsonArray("Achievement"),
                    ["name"] = "Data Analysis with Python",
                    ["description"] = "Cleans, explores and visualises data sets with pandas.",
                    ["criteria"] = new JsonObject { ["narrative"] = "Six graded notebooks and a capstone project." },
                },
            },
        });
    return items.ToJsonString();
}
