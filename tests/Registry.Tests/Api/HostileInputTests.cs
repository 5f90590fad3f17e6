using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Api;

/// <summary>
/// Seeded random damage to real documents: whatever arrives, the API answers with a 2xx or a 4xx
/// problem, never a 5xx, and verification of a damaged credential never says verified.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class HostileInputTests(SharedRegistry registry)
{
    private static readonly JsonNode?[] Replacements =
    [
        null, JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(1e308), JsonValue.Create(true), JsonValue.Create(""),
        JsonValue.Create(new string('x', 5000)), JsonValue.Create("0x" + new string('f', 64)), JsonValue.Create("\u0000\ud7ff\uffff"),
        JsonValue.Create("2026-02-30T00:00:00Z"), new JsonArray(), new JsonObject(), new JsonArray(1, "a", null),
        JsonValue.Create(long.MaxValue), JsonValue.Create("did:pkh:eip155:31337:0x" + new string('0', 40)),
    ];

    [Fact]
    public async Task Damaged_portable_credentials_never_verify_and_never_fail_the_server()
    {
        var random = new Random(20261129);
        var client = registry.App.CreateClient();
        for (var round = 0; round < 150; round++)
        {
            var document = registry.CopyOfPortable();
            Damage(document, random, 1 + random.Next(3));
            var response = await client.PostAsJsonAsync("/verify", document);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            if (result["verified"]!.GetValue<bool>())
                // Only a change that leaves every checked field as it was may still verify (e.g. an unchanged value written back).
                Assert.Equal(registry.Portable.ToJsonString(), document.ToJsonString());
        }
    }

    /// <summary>Every field of the proof, as a path: the exhaustive test below must change each one.</summary>
    private static readonly string[] ProofFields =
    [
        "type", "proofPurpose", "verificationMethod", "created", "salt", "digest", "merkleRoot", "merkleProof",
        "anchor.chainId", "anchor.registry", "anchor.transactionHash", "anchor.blockNumber", "anchor.batchId",
    ];

    [Fact]
    public async Task Every_proof_field_changed_in_every_way_fails_verification()
    {
        var proof = registry.Portable.AnchorProof().AsObject();
        var present = proof.SelectMany(p => p.Value is JsonObject inner ? inner.Select(i => $"{p.Key}.{i.Key}") : [p.Key]).Order().ToList();
        Assert.Equal(ProofFields.Order().ToList(), present);

        var client = registry.App.CreateClient();
        var tried = 0;
        foreach (var field in ProofFields)
        {
            foreach (var (change, apply) in ChangesOf(field, registry.Portable.AnchorProof()))
            {
                var document = registry.CopyOfPortable();
                apply(document.AnchorProof().AsObject());
                var response = await client.PostAsJsonAsync("/verify", document);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                Assert.False(result["verified"]!.GetValue<bool>(), $"proof.{field} ({change}) still verified");
                Assert.NotNull(result.FailedCheck());
                tried++;
            }
        }
        // Extra fields are refused too, in the proof and in its anchor.
        foreach (var owner in new[] { "proof", "anchor" })
        {
            var document = registry.CopyOfPortable();
            var target = owner == "proof" ? document.AnchorProof().AsObject() : document.AnchorProof()["anchor"]!.AsObject();
            target["note"] = "trust me";
            var result = await registry.App.VerifyAsync(document);
            Assert.Equal("format", result.FailedCheck()?["name"]?.GetValue<string>());
        }
        Assert.True(tried >= ProofFields.Length * 4, $"only {tried} changes were tried");
    }

    /// <summary>Each way to change one proof field: a plausible other value, another written form of it, removal, null, a wrong type.</summary>
    private static IEnumerable<(string Change, Action<JsonObject> Apply)> ChangesOf(string field, JsonNode original)
    {
        var parts = field.Split('.');
        JsonObject Owner(JsonObject proof) => parts.Length == 1 ? proof : proof[parts[0]]!.AsObject();
        var name = parts[^1];
        var value = parts.Length == 1 ? original[name]! : original[parts[0]]![name]!;
        Action<JsonObject> Set(Func<JsonNode?> make) => proof => Owner(proof)[name] = make();

        yield return ("removed", proof => Owner(proof).Remove(name));
        yield return ("null", Set(() => null));
        yield return ("wrong type", Set(() => value is JsonValue v && v.TryGetValue<long>(out _) ? JsonValue.Create("1") : JsonValue.Create(0)));
        switch (value)
        {
            case JsonArray array:
                yield return ("a hash added", Set(() => new JsonArray([.. array.Select(h => h!.DeepClone()), JsonValue.Create("0x" + new string('7', 64))])));
                if (array.Count > 0)
                {
                    yield return ("a hash removed", Set(() => new JsonArray([.. array.Skip(1).Select(h => h!.DeepClone())])));
                    yield return ("a hash changed", Set(() => new JsonArray([JsonValue.Create(Registry.Tests.Verification.TamperingTests.FlipLastDigit(array[0]!.GetValue<string>())),
                        .. array.Skip(1).Select(h => h!.DeepClone())])));
                    yield return ("a hash in capitals", Set(() => new JsonArray([JsonValue.Create("0x" + array[0]!.GetValue<string>()[2..].ToUpperInvariant()),
                        .. array.Skip(1).Select(h => h!.DeepClone())])));
                }
                break;
            case JsonValue number when number.TryGetValue<long>(out var n):
                yield return ("plus one", Set(() => JsonValue.Create(n + 1)));
                yield return ("minus one", Set(() => JsonValue.Create(n - 1)));
                yield return ("as a fraction", Set(() => JsonValue.Create(n + 0.5)));
                break;
            case JsonValue text when text.TryGetValue<string>(out var s):
                yield return ("last character changed", Set(() => JsonValue.Create(Registry.Tests.Verification.TamperingTests.FlipLastDigit(s))));
                yield return ("a character added", Set(() => JsonValue.Create(s + "0")));
                if (name is not "registry" && s.Any(char.IsAsciiLetterLower))
                    yield return ("in capitals", Set(() => JsonValue.Create(s.ToUpperInvariant())));
                if (name == "created")
                    yield return ("the same moment written otherwise", Set(() => JsonValue.Create(s.Replace("Z", "+00:00"))));
                break;
        }
    }

    [Fact]
    public async Task Damaged_submissions_are_accepted_or_refused_with_a_problem()
    {
        var random = new Random(11292026);
        for (var round = 0; round < 100; round++)
        {
            var document = Samples.Badge($"did:example:fuzz-{round}");
            Damage(document, random, 1 + random.Next(3));
            var response = await registry.IssuerClient.PostAsJsonAsync("/credentials", document);
            Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.BadRequest,
                $"{(int)response.StatusCode} for {document.ToJsonString()}: {await response.Content.ReadAsStringAsync()}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Raw_byte_garbage_gets_a_4xx_or_verified_false()
    {
        var random = new Random(7);
        var valid = Encoding.UTF8.GetBytes(registry.Portable.ToJsonString());
        for (var round = 0; round < 100; round++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = 0; flips < 1 + random.Next(8); flips++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            var verify = await registry.App.CreateClient().PostAsync("/verify", new ByteArrayContent(bytes) { Headers = { { "Content-Type", "application/json" } } });
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
            var issue = await registry.IssuerClient.PostAsync("/credentials", new ByteArrayContent(bytes) { Headers = { { "Content-Type", "application/json" } } });
            Assert.True((int)issue.StatusCode is >= 400 and < 500, $"{(int)issue.StatusCode}: {await issue.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Every_route_answers_nasty_bodies_and_queries_without_a_5xx()
    {
        var auditor = await registry.App.CreateAuditorAsync();
        // Read-only use of the shared credential: revocation is aimed at an unknown id, so nothing shared is revoked.
        var id = registry.CredentialIds[0];
        var batchId = registry.Portable.AnchorProof()["anchor"]!["batchId"]!.GetValue<string>();
        string[] bodies = ["", "null", "[]", "{}", "\"text\"", "{\"reason\": 5}", "{\"ids\": \"x\", \"reason\": []}", "{\"name\": null}",
            "{\"ids\": [null, 5, {}], \"reason\": \"r\"}", new string('[', 5000), "{\"a\":\"\\ud800\"}", "\u00ff\u00fe"];
        (HttpClient Client, string Path)[] posts =
        [
            (registry.App.Admin(), "/issuers"), (registry.App.Admin(), "/auditors"), (registry.App.Admin(), "/issuers/x/remove"),
            (registry.IssuerClient, "/credentials"), (registry.IssuerClient, "/credentials/bulk"), (registry.IssuerClient, $"/credentials/{Guid.NewGuid()}/revoke"),
            (registry.IssuerClient, "/credentials/revoke"), (registry.IssuerClient, "/batches"), (registry.App.CreateClient(), "/verify"),
        ];
        foreach (var (client, path) in posts)
            foreach (var body in bodies)
            {
                var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
                Assert.True((int)response.StatusCode < 500, $"POST {path} with {body[..Math.Min(body.Length, 40)]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

        string[] gets =
        [
            "/batches?skip=-5&limit=-1", "/batches?limit=abc", "/batches?skip=99999999999", $"/batches/{new string('z', 300)}",
            "/audit/events?fromBlock=-1", "/audit/events?fromBlock=abc", "/audit/events?limit=0&afterLogIndex=-3", "/audit/events?toBlock=99999999999999",
            "/audit/revocations?issuer=did:pkh:eip155:1:0x", "/audit/revocations?since=9999-99-99T00:00:00Z", $"/audit/batches/{batchId}?x=%FF",
            "/credentials/%2F%2E%2E/credential.json", $"/credentials/{id}%20", "/issuers/%ff",
        ];
        foreach (var path in gets)
        {
            var response = await auditor.GetAsync(path);
            Assert.True((int)response.StatusCode < 500, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Replaces, removes or nests values at random places in the document.</summary>
    private static void Damage(JsonObject document, Random random, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var containers = new List<JsonNode>();
            Collect(document, containers);
            var target = containers[random.Next(containers.Count)];
            switch (target)
            {
                case JsonObject obj when obj.Count > 0:
                    var key = obj.ElementAt(random.Next(obj.Count)).Key;
                    switch (random.Next(3))
                    {
                        case 0: obj.Remove(key); break;
                        case 1: obj[key] = Replacements[random.Next(Replacements.Length)]?.DeepClone(); break;
                        default: obj[key] = new JsonArray(new JsonObject { ["nested"] = obj[key]?.DeepClone() }); break;
                    }
                    break;
                case JsonArray array when array.Count > 0:
                    var index = random.Next(array.Count);
                    if (random.Next(2) == 0) array.RemoveAt(index);
                    else array[index] = Replacements[random.Next(Replacements.Length)]?.DeepClone();
                    break;
                case JsonObject empty:
                    empty["extra"] = Replacements[random.Next(Replacements.Length)]?.DeepClone();
                    break;
            }
        }
    }

    private static void Collect(JsonNode node, List<JsonNode> containers)
    {
        if (node is JsonObject obj)
        {
            containers.Add(obj);
            foreach (var (_, value) in obj) if (value is not null) Collect(value, containers);
        }
        else if (node is JsonArray array)
        {
            containers.Add(array);
            foreach (var value in array) if (value is not null) Collect(value, containers);
        }
    }
}
