using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Api;

/// <summary>
/// Real answers of the shared registry against the OpenAPI document's schema for them: every field the schema
/// requires is in the answer, and every field of the answer is one the schema declares. A client generated from
/// the document then reads what the registry sends, with a field left out only where the document allows it.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class DocumentedAnswersTests(SharedRegistry registry)
{
    [Fact]
    public async Task Answers_hold_the_fields_their_schemas_require_and_no_others()
    {
        var issuer = registry.IssuerClient;
        var anyone = registry.App.CreateClient();

        var accepted = await issuer.PostAsJsonAsync("/credentials", Samples.Badge("did:example:documented"));
        var pending = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var batches = (await issuer.GetFromJsonAsync<JsonArray>("/batches"))!;
        var verified = await anyone.PostAsJsonAsync("/verify", registry.CopyOfPortable());
        var presented = await anyone.PostAsJsonAsync("/verify", new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
            ["type"] = new JsonArray("VerifiablePresentation"),
            ["verifiableCredential"] = new JsonArray(registry.CopyOfPortable()),
        });
        var vcApi = await anyone.PostAsJsonAsync("/credentials/verify", new JsonObject { ["verifiableCredential"] = registry.CopyOfPortable() });
        using var auditor = await registry.App.CreateAuditorAsync();

        var answers = new (string Path, string Method, string Status, JsonNode Answer)[]
        {
            ("/health", "get", "200", (await anyone.GetFromJsonAsync<JsonNode>("/health"))!),
            ("/credentials/{id}", "get", "200", (await issuer.GetFromJsonAsync<JsonNode>($"/credentials/{pending}"))!),
            ("/credentials/{id}", "get", "200", (await issuer.GetFromJsonAsync<JsonNode>($"/credentials/{registry.CredentialIds[0]}"))!),
            ("/batches", "get", "200", batches),
            ("/batches/{id}", "get", "200", batches[0]!),
            ("/issuers", "get", "200", (await anyone.GetFromJsonAsync<JsonNode>("/issuers"))!),
            ("/issuers/{id}", "get", "200", (await registry.App.Admin().GetFromJsonAsync<JsonNode>($"/issuers/{registry.Issuer.Id}"))!),
            ("/verify", "post", "200", (await verified.Content.ReadFromJsonAsync<JsonNode>())!),
            ("/verify", "post", "200", (await presented.Content.ReadFromJsonAsync<JsonNode>())!),
            ("/verify/checks", "get", "200", (await anyone.GetFromJsonAsync<JsonNode>("/verify/checks"))!),
            ("/credentials/verify", "post", "200", (await vcApi.Content.ReadFromJsonAsync<JsonNode>())!),
            ("/audit/events", "get", "200", (await auditor.GetFromJsonAsync<JsonNode>("/audit/events"))!),
            ("/audit/revocations", "get", "200", (await auditor.GetFromJsonAsync<JsonNode>("/audit/revocations"))!),
            ("/audit/credentials/{id}", "get", "200", (await auditor.GetFromJsonAsync<JsonNode>($"/audit/credentials/{registry.CredentialIds[0]}"))!),
            ("/qualifications", "get", "200", (await anyone.GetFromJsonAsync<JsonNode>("/qualifications"))!),
            ("/offers", "get", "200", (await issuer.GetFromJsonAsync<JsonNode>("/offers"))!),
        };

        await AssertDocumentedAsync(answers);
    }

    [Fact]
    public async Task Answers_to_what_creates_hold_the_fields_their_schemas_require_and_no_others()
    {
        var admin = registry.App.Admin();
        var created = await admin.PostAsJsonAsync("/issuers", new { name = "Documented College", country = "DE", url = "https://documented.example" });
        var issuerAnswer = (await created.Content.ReadFromJsonAsync<JsonNode>())!;
        using var issuer = registry.App.ClientWithKey(issuerAnswer["apiKey"]!.GetValue<string>());
        var auditor = await admin.PostAsJsonAsync("/auditors", new { name = "Documented Board" });
        var one = await issuer.PostAsJsonAsync("/credentials", Samples.Badge("did:example:documented-one"));
        var bulk = await issuer.PostAsJsonAsync("/credentials/bulk", new JsonArray(Samples.Badge("did:example:documented-two")));
        var sealedBatch = await issuer.PostAsync("/batches", null);
        var issued = await issuer.PostAsJsonAsync("/credentials/issue", new JsonObject { ["credential"] = Samples.Badge("did:example:documented-three"), ["options"] = new JsonObject() });
        var offered = await issuer.PostAsJsonAsync("/offers", new JsonObject { ["credential"] = Offers.OfferTests.WithoutSubjectId(Samples.Badge()) });
        var offer = (await offered.Content.ReadFromJsonAsync<JsonNode>())!;

        await AssertDocumentedAsync(
        [
            ("/issuers", "post", "201", issuerAnswer),
            ("/auditors", "post", "201", (await auditor.Content.ReadFromJsonAsync<JsonNode>())!),
            ("/credentials", "post", "202", (await one.Content.ReadFromJsonAsync<JsonNode>())!),
            ("/credentials/bulk", "post", "202", (await bulk.Content.ReadFromJsonAsync<JsonNode>())!),
            ("/batches", "post", "202", (await sealedBatch.Content.ReadFromJsonAsync<JsonNode>())!),
            ("/credentials/issue", "post", "201", (await issued.Content.ReadFromJsonAsync<JsonNode>())!),
            ("/offers", "post", "201", offer),
            ("/offers/{id}", "get", "200", (await issuer.GetFromJsonAsync<JsonNode>($"/offers/{offer["id"]}"))!),
        ]);
    }

    [Fact]
    public async Task Answers_of_revocation_audit_and_removal_hold_the_fields_their_schemas_require_and_no_others()
    {
        var (created, issuer) = await registry.App.AddIssuerAsync("Documented Revocations College");
        var ids = await registry.App.IssueAndAnchorAsync(issuer, Samples.Badge("did:example:documented-a"), Samples.Badge("did:example:documented-b"));
        var batchId = (await issuer.GetFromJsonAsync<JsonObject>($"/credentials/{ids[0]}"))!["batchId"]!.GetValue<string>();
        var admin = registry.App.Admin();
        var revoked = await issuer.PostAsJsonAsync($"/credentials/{ids[0]}/revoke", new { reason = "Documented in error" });
        var revokedMany = await issuer.PostAsJsonAsync("/credentials/revoke", new { ids = new[] { ids[1] }, reason = "Documented in error" });

        await AssertDocumentedAsync(
        [
            ("/credentials/{id}/revoke", "post", "202", (await revoked.Content.ReadFromJsonAsync<JsonNode>())!),
            ("/credentials/revoke", "post", "202", (await revokedMany.Content.ReadFromJsonAsync<JsonNode>())!),
            ("/credentials/{id}", "get", "200", (await issuer.GetFromJsonAsync<JsonNode>($"/credentials/{ids[0]}"))!),
            ("/audit/batches/{id}", "get", "200", (await admin.GetFromJsonAsync<JsonNode>($"/audit/batches/{batchId}"))!),
            ("/audit/credentials/{id}/dependants", "get", "200", (await admin.GetFromJsonAsync<JsonNode>($"/audit/credentials/{ids[0]}/dependants"))!),
            ("/audit/revocations", "get", "200", (await admin.GetFromJsonAsync<JsonNode>($"/audit/revocations?issuer={created.Id}"))!),
            ("/issuers/{id}/remove", "post", "200", (await (await admin.PostAsJsonAsync($"/issuers/{created.Id}/remove", new { })).Content.ReadFromJsonAsync<JsonNode>())!),
            ("/issuers/{id}", "get", "200", (await admin.GetFromJsonAsync<JsonNode>($"/issuers/{created.Id}"))!),
        ]);
    }

    /// <summary>Each answer against the schema the document gives for its route and status, every problem named.</summary>
    private async Task AssertDocumentedAsync(IEnumerable<(string Path, string Method, string Status, JsonNode Answer)> answers)
    {
        var document = (await registry.App.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var problems = new List<string>();
        foreach (var (path, method, status, answer) in answers)
        {
            var schema = document["paths"]?[path]?[method]?["responses"]?[status]?["content"]?["application/json"]?["schema"];
            var at = $"{method.ToUpperInvariant()} {path}";
            if (schema is null) problems.Add($"{at}: no {status} schema in the document");
            // An answer whose schema declares no fields would be compared with nothing.
            else if (Compare(document, schema, answer, at, problems) == 0 && answer is not JsonArray { Count: 0 })
                problems.Add($"{at}: its schema declares none of the answer's fields");
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>
    /// Adds to <paramref name="problems"/> each field of <paramref name="answer"/> (and of the objects in it) that the schema
    /// does not allow, and each it requires that is missing; returns how many objects were held to a schema's fields. Of a
    /// choice of schemas, the one the answer fits best counts.
    /// </summary>
    private static int Compare(JsonObject document, JsonNode schema, JsonNode? answer, string at, List<string> problems)
    {
        schema = Resolve(document, schema);
        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray choices)
        {
            var best = choices.Where(c => c?["type"]?.ToString() != "null")
                .Select(choice => { var found = new List<string>(); return (Found: found, Compared: Compare(document, choice!, answer, at, found)); })
                .OrderBy(result => result.Found.Count).ThenByDescending(result => result.Compared).First();
            problems.AddRange(best.Found);
            return best.Compared;
        }
        var compared = 0;
        switch (answer)
        {
            case JsonArray items when schema["items"] is { } itemSchema:
                for (var i = 0; i < items.Count; i++) compared += Compare(document, itemSchema, items[i], $"{at}[{i}]", problems);
                break;
            case JsonObject fields when schema["properties"] is JsonObject declared:
                compared++;
                foreach (var required in schema["required"]?.AsArray() ?? [])
                    if (!fields.ContainsKey(required!.GetValue<string>())) problems.Add($"{at}: the required {required} is missing");
                foreach (var (name, value) in fields)
                {
                    if (declared[name] is not { } fieldSchema) problems.Add($"{at}: {name} is not in the schema");
                    else if (value is not null) compared += Compare(document, fieldSchema, value, $"{at}.{name}", problems);
                }
                break;
        }
        return compared;
    }

    /// <summary>The schema a reference names.</summary>
    private static JsonNode Resolve(JsonObject document, JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? Resolve(document, document["components"]!["schemas"]![reference.Split('/')[^1]]!)
            : schema;
}
