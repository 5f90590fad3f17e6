using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Api;

/// <summary>Input the registry used to quietly reinterpret: page sizes out of range, ids in other spellings, bodies without a type, keys that are wrong rather than missing.</summary>
[Collection(IssuingCollection.Name)]
public sealed class StrictInputTests(IssuingRegistry registry)
{
    [Theory]
    [InlineData("/batches?limit=0")]
    [InlineData("/batches?limit=-1")]
    [InlineData("/batches?limit=1001")]
    [InlineData("/batches?skip=-5")]
    [InlineData("/audit/events?limit=0")]
    [InlineData("/audit/events?limit=-20")]
    [InlineData("/audit/revocations?limit=0")]
    [InlineData("/audit/revocations?limit=-1")]
    public async Task A_page_size_out_of_range_is_a_400_naming_the_parameter(string path)
    {
        var problem = await ProblemTests.ExpectProblemAsync(await registry.App.Admin().GetAsync(path), HttpStatusCode.BadRequest);
        Assert.StartsWith(path.Contains("skip") ? "skip must be" : "limit must be", problem["detail"]!.GetValue<string>());
        Assert.Equal("Bad request", problem["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/batches?limit=1")]
    [InlineData("/batches?limit=1000&skip=0")]
    [InlineData("/audit/events?limit=1")]
    [InlineData("/audit/revocations?limit=1000")]
    public async Task A_page_size_in_range_is_answered(string path) =>
        Assert.Equal(HttpStatusCode.OK, (await registry.App.Admin().GetAsync(path)).StatusCode);

    [Fact]
    public async Task Ids_are_taken_only_in_their_canonical_form()
    {
        var admin = registry.App.Admin();
        var issuerId = (await admin.GetFromJsonAsync<JsonArray>("/issuers"))![0]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/issuers/{issuerId}")).StatusCode);

        var credentialId = (await (await registry.IssuerClient.PostAsJsonAsync("/credentials", Samples.Badge())).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await registry.IssuerClient.GetAsync($"/credentials/{credentialId}")).StatusCode);

        var batchId = new string('a', 32);
        (HttpClient Client, string Path)[] refused =
        [
            (admin, $"/issuers/{issuerId.ToUpperInvariant()}"),
            (admin, $"/issuers/%7B{issuerId}%7D"),
            (registry.IssuerClient, $"/credentials/%7B{credentialId}%7D"),
            (registry.IssuerClient, $"/credentials/{credentialId.ToUpperInvariant()}/credential.json"),
            (registry.IssuerClient, $"/credentials/{credentialId.Replace("-", "")}"),
            (admin, $"/batches/{batchId.ToUpperInvariant()}"),
            (admin, $"/audit/batches/{batchId.ToUpperInvariant()}"),
        ];
        foreach (var (client, path) in refused)
        {
            var problem = await ProblemTests.ExpectProblemAsync(await client.GetAsync(path), HttpStatusCode.BadRequest);
            Assert.Contains("id in the path", problem["detail"]!.GetValue<string>());
        }
        var revoke = await registry.IssuerClient.PostAsJsonAsync($"/credentials/%7B{credentialId}%7D/revoke", new { reason = "test" });
        await ProblemTests.ExpectProblemAsync(revoke, HttpStatusCode.BadRequest);
        // A canonical id that names nothing is still a 404.
        await ProblemTests.ExpectProblemAsync(await admin.GetAsync($"/batches/{batchId}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/issuers", true)]
    [InlineData("/auditors", true)]
    [InlineData("/credentials", false)]
    [InlineData("/credentials/bulk", false)]
    [InlineData("/verify", false)]
    public async Task A_body_without_a_content_type_is_a_415_that_says_what_to_send(string path, bool asAdmin)
    {
        var client = path == "/verify" ? registry.App.CreateClient() : asAdmin ? registry.App.Admin() : registry.IssuerClient;
        var body = path.EndsWith("bulk") ? "[" + Samples.Badge().ToJsonString() + "]" : path == "/issuers" || path == "/auditors" ? "{\"name\":\"Untyped\"}" : Samples.Badge().ToJsonString();
        var response = await client.PostAsync(path, new ByteArrayContent(Encoding.UTF8.GetBytes(body)));
        var problem = await ProblemTests.ExpectProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("Content-Type: application/json", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wrong_key_and_a_missing_key_get_different_401s()
    {
        var missing = await ProblemTests.ExpectProblemAsync(await registry.App.CreateClient().GetAsync("/batches"), HttpStatusCode.Unauthorized);
        var wrong = await ProblemTests.ExpectProblemAsync(await registry.App.ClientWithKey("rk_not_a_key").GetAsync("/batches"), HttpStatusCode.Unauthorized);
        var missingDetail = missing["detail"]!.GetValue<string>();
        var wrongDetail = wrong["detail"]!.GetValue<string>();
        Assert.NotEqual(missingDetail, wrongDetail);
        Assert.Contains("No API key was sent", missingDetail);
        Assert.Contains("not one this registry issued", wrongDetail);
    }
}
