using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Registry.Tests.Infrastructure;

/// <summary>Small helpers over the API's JSON, so tests read as the steps a user takes.</summary>
public static class ApiCalls
{
    public static async Task<JsonObject> VerifyAsync(this RegistryApp app, JsonObject? document)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/verify", document);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The answer of the VC API's <c>POST /credentials/verify</c> to the credential: its status and its body (a verdict or a problem document).</summary>
    public static async Task<(System.Net.HttpStatusCode Status, JsonObject Body)> VcApiVerifyAsync(this RegistryApp app, JsonObject credential)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/credentials/verify",
            new JsonObject { ["verifiableCredential"] = credential.DeepClone(), ["options"] = new JsonObject() });
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    /// <summary>
    /// Issues the credential through the VC API's <c>POST /credentials/issue</c>, asserting a 201; returns it as signed, and the id of its
    /// record (the address of its routes, from <c>Location</c>).
    /// </summary>
    public static async Task<(JsonObject Issued, string Record)> VcApiIssueAsync(this HttpClient issuer, JsonObject credential)
    {
        var response = await issuer.PostAsJsonAsync("/credentials/issue", new JsonObject { ["credential"] = credential.DeepClone(), ["options"] = new JsonObject() });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var issued = (await response.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!.AsObject();
        return (issued, response.Headers.Location!.OriginalString["/credentials/".Length..]);
    }

    /// <summary>The verdict of <c>POST /credentials/verify</c> on a credential it verifies: a 200 with <c>verified</c> true, asserted.</summary>
    public static async Task<JsonObject> VcApiVerifiedAsync(this RegistryApp app, JsonObject credential)
    {
        var (status, verdict) = await app.VcApiVerifyAsync(credential);
        Assert.True(status == System.Net.HttpStatusCode.OK, verdict.ToJsonString());
        Assert.True(verdict["verified"]!.GetValue<bool>());
        return verdict;
    }

    /// <summary>The check <c>POST /credentials/verify</c> names as failing, after asserting its answer is a 400.</summary>
    public static async Task<string> VcApiRefusedCheckAsync(this RegistryApp app, JsonObject credential)
    {
        var (status, problem) = await app.VcApiVerifyAsync(credential);
        Assert.True(status == System.Net.HttpStatusCode.BadRequest, problem.ToJsonString());
        return problem["check"]!.GetValue<string>();
    }

    /// <summary>The check that failed, or null when the credential verified.</summary>
    public static JsonObject? FailedCheck(this JsonObject verification) =>
        verification["checks"]!.AsArray().Select(c => c!.AsObject()).SingleOrDefault(c => c["status"]!.GetValue<string>() == "failed");

    /// <summary>
    /// The check that could not be completed, after asserting that the answer is no verdict: not verified,
    /// outcome could-not-check, and no failed check.
    /// </summary>
    public static JsonObject CouldNotCheck(this JsonObject verification)
    {
        Assert.False(verification["verified"]!.GetValue<bool>());
        Assert.Equal("could-not-check", verification["outcome"]!.GetValue<string>());
        Assert.Null(verification.FailedCheck());
        return verification["checks"]!.AsArray().Select(c => c!.AsObject()).Single(c => c["status"]!.GetValue<string>() == "could-not-check");
    }

    /// <summary>Issues the credentials in one bulk request and seals them into a batch; returns their ids and the batch's.</summary>
    public static async Task<(IReadOnlyList<string> Ids, string BatchId)> IssueAndSealAsync(this HttpClient issuer, params JsonObject[] credentials)
    {
        var response = await issuer.PostAsJsonAsync("/credentials/bulk", new JsonArray(credentials.Select(c => (JsonNode)c.DeepClone()).ToArray()));
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var ids = (await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
        var sealedBatch = await issuer.PostAsync("/batches", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, sealedBatch.StatusCode);
        return (ids, (await sealedBatch.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
    }

    /// <summary>Seals the issuer's pending credentials into a batch and waits until it is anchored.</summary>
    public static async Task SealAndAnchorAsync(this HttpClient issuer)
    {
        var sealedBatch = await issuer.PostAsync("/batches", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, sealedBatch.StatusCode);
        await RegistryApp.WaitForBatchAsync(issuer, (await sealedBatch.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>(), "anchored");
    }

    public static async Task<JsonObject> PortableAsync(this HttpClient client, string id) =>
        (await client.GetFromJsonAsync<JsonObject>($"/credentials/{id}/credential.json"))!;

    public static async Task<HttpClient> CreateAuditorAsync(this RegistryApp app)
    {
        var response = await app.Admin().PostAsJsonAsync("/auditors", new { name = "Accreditation Council" });
        response.EnsureSuccessStatusCode();
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return app.ClientWithKey(created["apiKey"]!.GetValue<string>());
    }
}
