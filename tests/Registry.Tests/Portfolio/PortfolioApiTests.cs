using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Portfolio;
using Registry.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Registry.Tests.Portfolio;

/// <summary><c>POST /verify</c> with a presentation: each credential verified in full and named with its verdict, and the refusals.</summary>
[Collection(RegistryCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class PortfolioApiTests(SharedRegistry registry, ITestOutputHelper output)
{
    private async Task<List<JsonObject>> PortablesAsync() =>
        [.. await Task.WhenAll(registry.CredentialIds.Select(id => registry.IssuerClient.PortableAsync(id)))];

    private static JsonObject Presentation(IEnumerable<JsonObject> credentials) =>
        Registry.Portfolio.Presentation.Compose(credentials).Presentation!;

    private async Task<HttpResponseMessage> PostAsync(JsonObject presentation) =>
        await registry.App.CreateClient().PostAsync("/verify", new StringContent(presentation.ToJsonString(), Encoding.UTF8, "application/json"));

    private static List<JsonObject> Entries(JsonObject answer) => [.. answer["credentials"]!.AsArray().Select(c => c!.AsObject())];

    [Fact]
    public async Task A_portfolio_of_three_verifies_each_credential_in_full_with_an_overall_verdict()
    {
        var portables = await PortablesAsync();
        var response = await PostAsync(Presentation(portables));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(answer["verified"]!.GetValue<bool>());
        Assert.Equal("verified", answer["outcome"]!.GetValue<string>());
        Assert.Equal(3, answer["count"]!.GetValue<int>());
        var entries = Entries(answer);
        Assert.Equal(portables.Select(p => p["id"]!.GetValue<string>()), entries.Select(e => e["id"]!.GetValue<string>()));
        Assert.Equal([1, 2, 3], entries.Select(e => e["index"]!.GetValue<int>()));
        Assert.All(entries, e =>
        {
            Assert.Equal("Introduction to Solidity", e["title"]!.GetValue<string>());
            Assert.True(e["verification"]!["verified"]!.GetValue<bool>());
            Assert.All(e["verification"]!["checks"]!.AsArray(), c => Assert.Equal("passed", c!["status"]!.GetValue<string>()));
            Assert.NotNull(e["verification"]!["issuer"]?.GetValue<string>());
            Assert.NotNull(e["verification"]!["anchoredAt"]?.GetValue<string>());
            Assert.Empty(e["components"]!.AsArray());
        });
    }

    [Fact]
    public async Task A_portfolio_with_one_tampered_credential_fails_and_names_it_at_its_check()
    {
        var portables = await PortablesAsync();
        portables[1]["credentialSubject"]!["achievement"]!["name"] = "Advanced Solidity";

        var answer = (await (await PostAsync(Presentation(portables))).Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.False(answer["verified"]!.GetValue<bool>());
        Assert.Equal("not-verified", answer["outcome"]!.GetValue<string>());
        var entries = Entries(answer);
        Assert.True(entries[0]["verification"]!["verified"]!.GetValue<bool>());
        Assert.False(entries[1]["verification"]!["verified"]!.GetValue<bool>());
        Assert.Equal("digest", entries[1]["verification"]!.AsObject().FailedCheck()!["name"]!.GetValue<string>());
        Assert.Equal("Advanced Solidity", entries[1]["title"]!.GetValue<string>());
        Assert.True(entries[2]["verification"]!["verified"]!.GetValue<bool>());
        Assert.Contains("2. Advanced Solidity", answer["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task More_than_a_hundred_credentials_are_refused_with_the_count()
    {
        var portable = registry.CopyOfPortable();
        var many = Enumerable.Range(0, 101).Select(i =>
        {
            var copy = (JsonObject)portable.DeepClone();
            copy["id"] = $"urn:uuid:00000000-0000-4000-8000-{i:D12}";
            return copy;
        });
        var presentation = new JsonObject
        {
            ["@context"] = new JsonArray(Registry.Portfolio.Presentation.ContextV2),
            ["type"] = new JsonArray("VerifiablePresentation"),
            ["verifiableCredential"] = new JsonArray(many.Cast<JsonNode>().ToArray()),
        };
        var response = await PostAsync(presentation);
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "101 credentials");
    }

    [Fact]
    public async Task A_credential_given_twice_is_refused()
    {
        var portables = await PortablesAsync();
        var presentation = Presentation(portables);
        presentation["verifiableCredential"]!.AsArray().Add(portables[0].DeepClone());
        await AssertRefusedAsync(await PostAsync(presentation), HttpStatusCode.BadRequest, "Entries 1 and 4");
    }

    [Fact]
    public async Task An_entry_that_is_not_a_credential_is_refused()
    {
        var presentation = Presentation([registry.CopyOfPortable()]);
        presentation["verifiableCredential"]!.AsArray().Add(new JsonObject { ["type"] = new JsonArray("VerifiablePresentation") });
        await AssertRefusedAsync(await PostAsync(presentation), HttpStatusCode.BadRequest, "Entry 2");
    }

    [Fact]
    public async Task A_presentation_over_the_verify_body_limit_is_refused_unread()
    {
        var presentation = Presentation([registry.CopyOfPortable()]);
        presentation["padding"] = new string(' ', Registry.Credentials.PortableCredential.MaxBytes);
        await AssertRefusedAsync(await PostAsync(presentation), HttpStatusCode.RequestEntityTooLarge, "exceeds");
    }

    [Fact]
    public async Task A_portfolio_of_twenty_verifies_over_http_and_its_median_time_is_measured()
    {
        var ids = await registry.App.IssueAndAnchorAsync(registry.IssuerClient,
            [.. Enumerable.Range(0, 20).Select(i => Samples.Badge($"did:example:learner-{i}", $"Module {i + 1}"))]);
        var presentation = Presentation(await Task.WhenAll(ids.Select(id => registry.IssuerClient.PortableAsync(id))));
        var body = Encoding.UTF8.GetBytes(presentation.ToJsonString());
        using var client = registry.App.CreateClient();

        async Task<(JsonObject Answer, double Ms)> OnceAsync()
        {
            var watch = Stopwatch.StartNew();
            var response = await client.PostAsync("/verify", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });
            var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            return (answer, watch.Elapsed.TotalMilliseconds);
        }

        var first = await OnceAsync();
        Assert.True(first.Answer["verified"]!.GetValue<bool>(), first.Answer.ToJsonString());
        Assert.Equal(20, Entries(first.Answer).Count(e => e["verification"]!["verified"]!.GetValue<bool>()));
        var times = new List<double>();
        for (var i = 0; i < 15; i++) times.Add((await OnceAsync()).Ms);
        times.Sort();
        output.WriteLine($"POST /verify, portfolio of 20 credentials ({body.Length:N0} bytes), in-process HTTP: median {times[times.Count / 2]:F1} ms, min {times[0]:F1} ms, max {times[^1]:F1} ms over {times.Count} runs");
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains(reason, problem["detail"]!.GetValue<string>());
    }
}
