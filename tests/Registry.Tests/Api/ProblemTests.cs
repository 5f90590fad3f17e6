using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Api;

/// <summary>Hostile and mistaken requests get the right 4xx and a problem document that says what is wrong.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ProblemTests(SharedRegistry registry)
{
    private HttpClient Issuer => registry.IssuerClient;

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var problem = await ExpectProblemAsync(await PostRawAsync(Issuer, "/credentials", "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\",}"), HttpStatusCode.BadRequest);
        Assert.Equal("Malformed JSON", problem["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Duplicate_property_names_are_refused()
    {
        var problem = await ExpectProblemAsync(await PostRawAsync(Issuer, "/credentials", "{\"type\": \"A\", \"type\": \"B\"}"), HttpStatusCode.BadRequest);
        Assert.Contains("type", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("credentialSubject")]
    [InlineData("@context")]
    [InlineData("type")]
    public async Task A_missing_required_field_is_named(string field)
    {
        var credential = Samples.Badge();
        credential.Remove(field);
        var errors = await ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", credential));
        Assert.True(errors.ContainsKey("/" + field), errors.ToJsonString());
    }

    [Fact]
    public async Task Missing_open_badge_fields_are_each_named()
    {
        var credential = Samples.Badge();
        var achievement = credential["credentialSubject"]!["achievement"]!.AsObject();
        achievement.Remove("criteria");
        achievement.Remove("name");
        var errors = await ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", credential));
        Assert.True(errors.ContainsKey("/credentialSubject/achievement/criteria"), errors.ToJsonString());
        Assert.True(errors.ContainsKey("/credentialSubject/achievement/name"), errors.ToJsonString());
    }

    [Fact]
    public async Task Wrong_types_are_named()
    {
        var credential = Samples.Badge();
        credential["type"] = 5;
        credential["credentialSubject"] = "alice";
        var errors = await ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", credential));
        Assert.True(errors.ContainsKey("/type"));
        Assert.True(errors.ContainsKey("/credentialSubject"));
    }

    [Fact]
    public async Task An_issuer_naming_someone_else_is_refused()
    {
        var credential = Samples.Badge();
        credential["issuer"] = "did:pkh:eip155:31337:0x" + new string('1', 40);
        var errors = await ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", credential));
        Assert.Contains(registry.Issuer.DidKey, errors["/issuer"]![0]!.GetValue<string>());

        // The issuer's own account is not its identifier in credentials either: that is its signing key's did:key.
        credential["issuer"] = new JsonObject { ["id"] = registry.Issuer.Did, ["name"] = "whatever" };
        errors = await ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", credential));
        Assert.Contains(registry.Issuer.DidKey, errors["/issuer"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task The_issuers_own_did_is_accepted()
    {
        var credential = Samples.Badge();
        credential["issuer"] = new JsonObject { ["id"] = registry.Issuer.DidKey, ["name"] = "whatever" };
        var response = await Issuer.PostAsJsonAsync("/credentials", credential);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("yesterday")]
    [InlineData("2026-01-01T00:00:00")]
    public async Task A_bad_date_is_refused(string date)
    {
        var credential = Samples.Badge();
        credential["validFrom"] = date;
        var errors = await ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", credential));
        Assert.True(errors.ContainsKey("/validFrom"));
    }

    [Fact]
    public async Task ValidUntil_before_validFrom_is_refused()
    {
        var credential = Samples.Badge();
        credential["validUntil"] = "2025-01-01T00:00:00Z";
        var errors = await ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", credential));
        Assert.True(errors.ContainsKey("/validUntil"));
    }

    [Fact]
    public async Task A_submitted_proof_is_refused()
    {
        var errors = await ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", registry.CopyOfPortable()));
        Assert.True(errors.ContainsKey("/proof"));
    }

    [Fact]
    public async Task Deeply_nested_bodies_are_refused()
    {
        var deep = new StringBuilder();
        for (var i = 0; i < 10_000; i++) deep.Append("{\"a\":");
        deep.Append('1').Append('}', 10_000);
        await ExpectProblemAsync(await PostRawAsync(Issuer, "/credentials", deep.ToString()), HttpStatusCode.BadRequest);
        await ExpectProblemAsync(await PostRawAsync(Issuer, "/credentials/bulk", "[" + deep + "]"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_huge_body_is_413()
    {
        var huge = "{\"x\":\"" + new string('a', 2 << 20) + "\"}";
        var problem = await ExpectProblemAsync(await PostRawAsync(Issuer, "/credentials", huge), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("exceeds", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_answers_hostile_documents_with_verified_false()
    {
        var client = registry.App.CreateClient();
        foreach (var body in new[] { "not json", "[]", "42", "{\"proof\": {\"merkleProof\": " + "[" + string.Join(',', Enumerable.Repeat("\"0x00\"", 5000)) + "]}}" })
        {
            var response = await PostRawAsync(client, "/verify", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.False(result["verified"]!.GetValue<bool>());
            Assert.Equal("failed", result["checks"]![0]!["status"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_bulk_request_with_one_bad_item_stores_nothing()
    {
        var client = (await registry.App.AddIssuerAsync("Bulk Testing Academy")).Client;
        var bad = Samples.Badge();
        bad.Remove("credentialSubject");
        var response = await client.PostAsJsonAsync("/credentials/bulk", new JsonArray(Samples.Badge(), bad, Samples.Plain()));

        var errors = await ExpectValidationAsync(response);
        Assert.Equal(["/1/credentialSubject"], errors.Select(e => e.Key));
        // Nothing was stored: there is nothing to seal.
        await ExpectProblemAsync(await client.PostAsync("/batches", null), HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    public async Task Bulk_needs_a_non_empty_array(string body)
    {
        await ExpectProblemAsync(await PostRawAsync(Issuer, "/credentials/bulk", body), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Bulk_refuses_more_than_ten_thousand()
    {
        var item = Samples.Plain().ToJsonString();
        var body = "[" + string.Join(',', Enumerable.Repeat(item, 10_001)) + "]";
        var problem = await ExpectProblemAsync(await PostRawAsync(Issuer, "/credentials/bulk", body), HttpStatusCode.BadRequest);
        Assert.Contains("10,001", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task No_key_and_a_wrong_key_are_401()
    {
        var anonymous = registry.App.CreateClient();
        var problem = await ExpectProblemAsync(await anonymous.PostAsJsonAsync("/credentials", Samples.Badge()), HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", problem["detail"]!.GetValue<string>());
        await ExpectProblemAsync(await registry.App.ClientWithKey("rk_not_a_key").PostAsJsonAsync("/credentials", Samples.Badge()), HttpStatusCode.Unauthorized);
        await ExpectProblemAsync(await registry.App.ClientWithKey("rk_not_a_key").GetAsync($"/credentials/{registry.CredentialIds[0]}"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Roles_are_enforced_with_403()
    {
        await ExpectProblemAsync(await Issuer.PostAsJsonAsync("/issuers", new { name = "Sneaky" }), HttpStatusCode.Forbidden);
        var auditor = await registry.App.CreateAuditorAsync();
        await ExpectProblemAsync(await auditor.PostAsJsonAsync("/credentials", Samples.Badge()), HttpStatusCode.Forbidden);
        await ExpectProblemAsync(await registry.App.Admin().PostAsJsonAsync("/credentials", Samples.Badge()), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_auditor_reads_any_credential_and_batch()
    {
        var auditor = await registry.App.CreateAuditorAsync();
        var status = await auditor.GetFromJsonAsync<JsonObject>($"/credentials/{registry.CredentialIds[1]}");
        Assert.Equal("anchored", status!["status"]!.GetValue<string>());
        var portable = await auditor.GetFromJsonAsync<JsonObject>($"/credentials/{registry.CredentialIds[1]}/credential.json");
        Assert.Equal("did:example:bob", portable!["credentialSubject"]!["id"]!.GetValue<string>());
        var batches = await auditor.GetFromJsonAsync<JsonArray>("/batches");
        Assert.NotEmpty(batches!);
    }

    [Fact]
    public async Task Another_issuers_credential_and_an_unknown_id_are_404()
    {
        var client = (await registry.App.AddIssuerAsync("Other Institute")).Client;
        await ExpectProblemAsync(await client.GetAsync($"/credentials/{registry.CredentialIds[0]}"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await client.GetAsync($"/credentials/{registry.CredentialIds[0]}/credential.json"), HttpStatusCode.NotFound);
        var batchId = registry.Portable.AnchorProof()["anchor"]!["batchId"]!.GetValue<string>();
        await ExpectProblemAsync(await client.GetAsync($"/batches/{batchId}"), HttpStatusCode.NotFound);
        Assert.Empty((await client.GetFromJsonAsync<JsonArray>("/batches"))!);
        await ExpectProblemAsync(await Issuer.GetAsync($"/credentials/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        // An id in any other form than the registry's is a mistake of the caller's, not a missing credential.
        await ExpectProblemAsync(await Issuer.GetAsync($"/credentials/{new string('x', 500)}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_pending_credential_has_no_portable_form_yet()
    {
        var response = await Issuer.PostAsJsonAsync("/credentials", Samples.Plain());
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var status = (await Issuer.GetFromJsonAsync<JsonObject>($"/credentials/{id}"))!;
        Assert.Equal("pending", status["status"]!.GetValue<string>());
        // batchId is one of the fields every answer has (the specification lists it): null until the credential is sealed.
        Assert.True(status.ContainsKey("batchId"));
        Assert.Null(status["batchId"]);
        Assert.False(status.ContainsKey("revokedAt"));
        var problem = await ExpectProblemAsync(await Issuer.GetAsync($"/credentials/{id}/credential.json"), HttpStatusCode.Conflict);
        Assert.Contains("anchored", problem["detail"]!.GetValue<string>());
        Assert.Equal("Conflict", problem["title"]!.GetValue<string>());
        var unknown = await ExpectProblemAsync(await Issuer.GetAsync($"/credentials/{Guid.NewGuid()}/credential.json"), HttpStatusCode.NotFound);
        Assert.Equal("Not found", unknown["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Creating_an_issuer_validates_each_field()
    {
        var admin = registry.App.Admin();
        var errors = await ExpectValidationAsync(await admin.PostAsJsonAsync("/issuers", new { name = "", country = "Germany", url = "ftp://x" }));
        Assert.True(errors.ContainsKey("/name"));
        Assert.True(errors.ContainsKey("/country"));
        Assert.True(errors.ContainsKey("/url"));
        await ExpectProblemAsync(await PostRawAsync(admin, "/issuers", "{\"name\": 5}"), HttpStatusCode.BadRequest);
        await ExpectProblemAsync(await PostRawAsync(admin, "/issuers", "{\"name\": "), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Public_issuer_profiles_show_no_secrets()
    {
        var anonymous = registry.App.CreateClient();
        var profile = await anonymous.GetFromJsonAsync<JsonObject>($"/issuers/{registry.Issuer.Id}");
        Assert.Equal(registry.Issuer.Did, profile!["did"]!.GetValue<string>());
        Assert.Equal("active", profile["status"]!.GetValue<string>());
        Assert.DoesNotContain("apiKey", profile.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("keystore", profile.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        await ExpectProblemAsync(await anonymous.GetAsync($"/issuers/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await anonymous.GetAsync("/issuers/nobody"), HttpStatusCode.BadRequest);
    }

    /// <summary>Every validation problem names its fields one way: as JSON pointers into the request's body.</summary>
    [Fact]
    public async Task Validation_problems_name_each_field_by_its_json_pointer()
    {
        var admin = registry.App.Admin();
        var expected = new (HttpResponseMessage Response, string Field)[]
        {
            (await admin.PostAsJsonAsync("/issuers", new { name = " " }), "/name"),
            (await admin.PostAsJsonAsync("/auditors", new { name = "" }), "/name"),
            (await Issuer.PostAsJsonAsync("/credentials", new JsonObject { ["type"] = 5 }), "/type"),
            (await Issuer.PostAsJsonAsync($"/credentials/{registry.CredentialIds[2]}/revoke", new { reason = " " }), "/reason"),
            (await Issuer.PostAsJsonAsync("/credentials/revoke", new { ids = new[] { registry.CredentialIds[2], registry.CredentialIds[2] }, reason = "x" }), "/ids"),
            (await admin.PostAsJsonAsync($"/issuers/{registry.Issuer.Id}/revoke", new { ids = Array.Empty<string>(), reason = "withdrawn" }), "/ids"),
        };
        foreach (var (response, field) in expected)
        {
            var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("The request has invalid fields", problem["title"]!.GetValue<string>());
            var errors = problem["errors"]!.AsObject();
            Assert.True(errors.ContainsKey(field), $"{response.RequestMessage!.RequestUri}: {errors.ToJsonString()}");
            Assert.All(errors, e => Assert.StartsWith("/", e.Key));
        }
    }

    [Fact]
    public async Task Refusals_of_the_issuer_routes_keep_their_titles()
    {
        var admin = registry.App.Admin();
        var unknown = await ExpectProblemAsync(await admin.PostAsync($"/issuers/{Guid.NewGuid()}/remove", null), HttpStatusCode.NotFound);
        Assert.Equal("Not found", unknown["title"]!.GetValue<string>());
        Assert.EndsWith("was not found.", unknown["detail"]!.GetValue<string>());
        var profile = await ExpectProblemAsync(await admin.GetAsync($"/issuers/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        Assert.Equal("Not found", profile["title"]!.GetValue<string>());
        var taken = await ExpectProblemAsync(await admin.PostAsJsonAsync("/issuers", new { name = "Open University of Testing" }), HttpStatusCode.Conflict);
        Assert.Equal("Conflict", taken["title"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(taken["traceId"]?.GetValue<string>()), "the problem details service wrote it, as it writes every problem");
    }

    [Theory]
    [InlineData("{}", "The body must be a JSON array of credentials.")]
    [InlineData("[]", "Send from 1 to 10,000 credentials; this array has 0.")]
    public async Task A_bulk_body_that_is_not_a_list_of_credentials_is_a_400(string body, string detail)
    {
        var problem = await ExpectProblemAsync(await PostRawAsync(Issuer, "/credentials/bulk", body), HttpStatusCode.BadRequest);
        Assert.Equal("Bad request", problem["title"]!.GetValue<string>());
        Assert.Equal(detail, problem["detail"]!.GetValue<string>());
        Assert.Null(problem["errors"]);
    }

    internal static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string path, string body) =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    internal static async Task<JsonObject> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
        return problem;
    }

    internal static async Task<JsonObject> ExpectValidationAsync(HttpResponseMessage response)
    {
        var problem = await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        return problem["errors"]!.AsObject();
    }
}
