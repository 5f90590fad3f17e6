using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Registry.Load;

/// <summary>
/// Stacked qualifications over real HTTP: one issuer issues a learner ten course badges and nine more, anchors
/// them, and defines a qualification that needs all ten; awarding it (<c>POST /qualifications/{id}/awards</c>,
/// each component verified in full from the registry's fresh chain index) is timed one request after another.
/// Then one award is anchored and written, with its ten components and the nine others, as a portfolio of
/// twenty whose tree <c>POST /verify</c> is timed on.
/// </summary>
public static class StackMeasures
{
    public const int Components = 10;
    private const int Others = HttpMeasures.PortfolioSize - Components - 1;
    private const int Warm = 3;

    public static async Task RunAsync(Uri api, string adminKey, int awards, Rows rows, string portfolioOut)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromMinutes(2) };
        var key = await HttpMeasures.CreateKeyHolderAsync(http, adminKey, "/issuers", "Stackable University");
        var learner = $"did:example:stacker-{Guid.NewGuid():N}";
        var courses = Enumerable.Range(0, Components + Others).Select(i =>
        {
            var badge = Badges.Badge(learner);
            badge["name"] = $"Course {i + 1}";
            badge["credentialSubject"]!["achievement"]!["id"] = $"https://oul.example/achievements/course-{i + 1}";
            badge["credentialSubject"]!["achievement"]!["name"] = $"Course {i + 1}";
            return (JsonNode)badge;
        }).ToArray();
        var issued = await PostAsync(http, "/credentials/bulk", key, new JsonArray(courses));
        var ids = issued["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
        await AnchorAsync(http, key);
        var portables = new List<JsonObject>();
        foreach (var id in ids) portables.Add(await HttpMeasures.SendAsync<JsonObject>(http, HttpMethod.Get, $"/credentials/{id}/credential.json", key));

        var qualification = (await PostAsync(http, "/qualifications", key, new JsonObject
        {
            ["name"] = "Diploma of Ten Courses",
            ["description"] = "Awarded for all ten courses.",
            ["criteria"] = new JsonObject { ["narrative"] = "Hold the ten course badges, each verified on the chain." },
            ["requires"] = new JsonArray(Enumerable.Range(0, Components)
                .Select(i => (JsonNode)new JsonObject { ["achievement"] = $"https://oul.example/achievements/course-{i + 1}" }).ToArray()),
        }))["id"]!.GetValue<string>();
        var award = new JsonObject
        {
            ["subject"] = learner,
            ["components"] = new JsonArray(portables.Take(Components).Select(p => (JsonNode)p.DeepClone()).ToArray()),
        }.ToJsonString();

        // The first few warm the award's path (JIT) and are not counted.
        var times = new List<double>(awards);
        string? first = null;
        for (var i = 0; i < Warm + awards; i++)
        {
            var clock = Stopwatch.StartNew();
            var answer = await PostAsync(http, $"/qualifications/{qualification}/awards", key, JsonNode.Parse(award)!);
            if (i >= Warm) times.Add(clock.Elapsed.TotalMilliseconds);
            first ??= answer["id"]!.GetValue<string>();
        }
        times.Sort();
        var body = System.Text.Encoding.UTF8.GetByteCount(award);
        rows.Add(new Row($"award a qualification of {Components} components (POST /qualifications/{{id}}/awards), median", null, times[times.Count / 2], "ms", "ours",
            $"one client, {times.Count} awards one after another ({body / 1024:N0} KiB each), every component verified from the chain index; p99 {times[(int)Math.Ceiling(times.Count * 0.99) - 1]:N1} ms"));

        // The learner's portfolio: the first award, its components and the other courses, in that order.
        await AnchorAsync(http, key);
        var stacked = new List<JsonObject> { await HttpMeasures.SendAsync<JsonObject>(http, HttpMethod.Get, $"/credentials/{first}/credential.json", key) };
        stacked.AddRange(portables);
        var presentation = Registry.Portfolio.Presentation.Compose(stacked).Presentation!;
        using var check = await http.PostAsJsonAsync("/verify", presentation);
        var verdict = (await check.Content.ReadFromJsonAsync<JsonObject>())!;
        if (verdict["verified"]?.GetValue<bool>() != true || verdict["credentials"]![0]!["components"]!.AsArray().Count(c => c!["match"]!.GetValue<string>() == "matched") != Components)
            throw new InvalidOperationException($"The stacked portfolio does not verify as a tree: {verdict.ToJsonString()}");
        await File.WriteAllTextAsync(portfolioOut, presentation.ToJsonString());
    }

    /// <summary>Seals what the issuer has pending and waits for the anchor.</summary>
    private static async Task AnchorAsync(HttpClient http, string key)
    {
        var batchId = (await PostAsync(http, "/batches", key, null))["id"]!.GetValue<string>();
        while ((await HttpMeasures.SendAsync<JsonObject>(http, HttpMethod.Get, $"/batches/{batchId}", key))["status"]!.GetValue<string>() is var status && status != "anchored")
        {
            if (status is "failed" or "resealed") throw new InvalidOperationException($"Batch {batchId} is {status}.");
            await Task.Delay(20);
        }
    }

    internal static async Task<JsonObject> PostAsync(HttpClient http, string path, string key, JsonNode? body)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(message);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
