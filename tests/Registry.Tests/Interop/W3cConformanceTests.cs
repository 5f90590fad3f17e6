using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Signatures;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Interop;

/// <summary>
/// The normative statements of W3C Verifiable Credentials Data Model 2.0 and Data Integrity EdDSA (eddsa-rdfc-2022) that
/// the W3C suites (vc-data-model-2.0-test-suite, vc-di-eddsa-test-suite) check through the VC API, each checked here on
/// a registry under test (real node, real HTTP): what <c>POST /credentials/issue</c> must accept and refuse, what the
/// credentials it issues must look like, and what <c>POST /credentials/verify</c> and <c>POST /presentations/verify</c>
/// must accept and refuse. docs/CONFORMANCE.md runs the W3C suites themselves.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class W3cConformanceTests(SharedRegistry registry)
{
    private const string V2 = "https://www.w3.org/ns/credentials/v2";
    private const string Examples = "https://www.w3.org/ns/credentials/examples/v2";
    private const string V1 = "https://www.w3.org/2018/credentials/v1";
    private const string DataIntegrityV2 = "https://w3id.org/security/data-integrity/v2";

    /// <summary>
    /// Digests of the VC 2.0 base context as published (SHA-256 59955ced…2734, VC 2.0 appendix B.1): SRI SHA-384, and the
    /// multibase SHA-256 multihash that VC 2.0's own example of <c>digestMultibase</c> gives.
    /// </summary>
    private const string V2Sri384 = "sha384-l/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU";
    private const string V2Multihash256 = "uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA";

    /// <summary>
    /// The W3C suite's "valid" digests of the base context, which are of an earlier draft of it (w3c/vc-data-model 8d0ee107,
    /// July 2024 to February 2025), its SHA-256 given raw where a multihash belongs (docs/CONFORMANCE.md).
    /// </summary>
    private const string DraftSri384 = "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg";
    private const string DraftRaw256 = "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k";

    private static JsonObject RelatedToV2(string field, string digest) =>
        With(c => c["relatedResource"] = new JsonArray(new JsonObject { ["id"] = V2, ["mediaType"] = "application/ld+json", [field] = digest }));

    /// <summary>The smallest credential the suites send: the VC 2.0 context alone, a type and a subject.</summary>
    private static JsonObject Minimal() => new()
    {
        ["@context"] = new JsonArray(V2),
        ["type"] = new JsonArray("VerifiableCredential"),
        ["credentialSubject"] = new JsonObject { ["id"] = "did:example:subject" },
    };

    private static JsonObject With(Action<JsonObject> change)
    {
        var credential = Minimal();
        change(credential);
        return credential;
    }

    private static JsonObject LanguageValue(string value, string language, string? direction = null)
    {
        var text = new JsonObject { ["@value"] = value, ["@language"] = language };
        if (direction is not null) text["@direction"] = direction;
        return text;
    }

    /// <summary>Credentials that VC 2.0 allows, each with the statement that allows it: issuing accepts every one.</summary>
    public static TheoryData<string, JsonObject> Conforming() => new()
    {
        { "1.3 a conforming document: the VC 2.0 context, a type and a subject, nothing else", Minimal() },
        { "4.3 subsequent @context items are URLs or objects processable as JSON-LD contexts",
            With(c => c["@context"] = new JsonArray(V2, Examples, new JsonObject { ["ExtraTerm"] = "https://example.org/#ExtraTerm" })) },
        { "4.4 the value of id is a single URL", With(c => c["id"] = "https://university.example/credentials/1872") },
        { "4.4 a subject's id is a single URL (a DID)", With(c => c["credentialSubject"]!["id"] = "did:example:ebfeb1f712ebc6f1c276e12ec21") },
        { "4.5 type values are terms or absolute URLs", With(c => c["type"] = new JsonArray("VerifiableCredential", "https://example.org/#ExampleType")) },
        { "4.5 the order of type values does not matter", With(c => c["type"] = new JsonArray("https://example.org/#ExampleType", "VerifiableCredential")) },
        { "4.5 a type the @context maps to a URL",
            With(c => { c["@context"] = new JsonArray(V2, new JsonObject { ["ExampleType"] = "https://example.org/#ExampleType" }); c["type"] = new JsonArray("VerifiableCredential", "ExampleType"); }) },
        { "4.6 name is a string", With(c => c["name"] = "Example Credential") },
        { "4.6 name is a language value object", With(c => c["name"] = LanguageValue("Example Credential", "en")) },
        { "4.6 name in several languages", With(c => c["name"] = new JsonArray(LanguageValue("Dog", "en"), LanguageValue("Chien", "fr"))) },
        { "4.6 description is a language value object", With(c => c["description"] = LanguageValue("An example", "en")) },
        { "4.6 and 11.1 name is a language value object with a base direction", With(c => c["name"] = LanguageValue("Example Credential", "en", "ltr")) },
        { "4.6 and 11.1 description is a language value object with a base direction", With(c => c["description"] = LanguageValue("مثال", "ar", "rtl")) },
        { "11.1 a base direction without a language, in a claim",
            With(c => { c["@context"] = new JsonArray(V2, Examples); c["credentialSubject"]!["motto"] = new JsonObject { ["@value"] = "Lux et veritas", ["@direction"] = "ltr" }; }) },
        { "4.6 the issuer's name and description as language value objects",
            With(c => c["issuer"] = new JsonObject { ["name"] = LanguageValue("Example Issuer", "en"), ["description"] = new JsonArray(LanguageValue("A", "en"), LanguageValue("B", "fr")) }) },
        { "4.8 credentialSubject is a set of objects, each with claims",
            With(c => c["credentialSubject"] = new JsonArray(new JsonObject { ["id"] = "did:example:one" }, new JsonObject { ["id"] = "did:example:two" })) },
        { "4.9 validFrom may be in the future", With(c => c["validFrom"] = "2999-01-01T00:00:00Z") },
        { "4.9 validUntil may be in the past, and dates may carry fractions and offsets",
            With(c => { c["validFrom"] = "2020-01-01T00:00:00.123+02:00"; c["validUntil"] = "2021-01-01T00:00:00Z"; }) },
        { "4.11 each credentialSchema has a type and a URL id",
            With(c => c["credentialSchema"] = new JsonArray(
                new JsonObject { ["id"] = "https://example.org/schemas/1.json", ["type"] = "JsonSchema" },
                new JsonObject { ["id"] = "https://example.org/schemas/2.json", ["type"] = "JsonSchema" })) },
        { "5.3 each refreshService has a type", With(c => c["refreshService"] = new JsonObject { ["id"] = "https://example.org/refresh/1", ["type"] = "https://example.org/#ExampleRefreshService" }) },
        { "5.5 each termsOfUse has a type, an id optional", With(c => c["termsOfUse"] = new JsonArray(new JsonObject { ["type"] = "https://example.org/#ExamplePolicy" }, new JsonObject { ["type"] = "https://example.org/#ExamplePolicy", ["id"] = "https://example.org/terms/1" })) },
        { "5.6 evidence is one object or several, each with a type", With(c => c["evidence"] = new JsonArray(new JsonObject { ["type"] = new JsonArray("https://example.org/#ExampleEvidence") })) },
        { "4.10 a credentialStatus of the issuer's own: an object with a type and a URL id (kept after the registry's two)",
            With(c => { c["@context"] = new JsonArray(V2, Examples); c["credentialStatus"] = new JsonObject { ["id"] = "did:example:status", ["type"] = "ExampleStatusList" }; }) },
        { "4.10 a credentialStatus's id is optional, and several are a list",
            With(c => { c["@context"] = new JsonArray(V2, Examples);
                c["credentialStatus"] = new JsonArray(new JsonObject { ["type"] = "ExampleStatusList" }, new JsonObject { ["type"] = "ExampleStatusList", ["id"] = "https://example.org/status/2" }); }) },
        { "5.3 relatedResource objects, each with a URL id and a digest",
            With(c => c["relatedResource"] = new JsonArray(
                new JsonObject { ["id"] = "https://example.org/a.json", ["digestSRI"] = "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg" },
                new JsonObject { ["id"] = "https://example.org/b.json", ["mediaType"] = "application/json", ["digestMultibase"] = "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k" })) },
        { "5.3 the digests of a resource the registry holds (the base context) match it: SRI SHA-384", RelatedToV2("digestSRI", V2Sri384) },
        { "5.3 … and a multibase SHA-256 multihash", RelatedToV2("digestMultibase", V2Multihash256) },
        { "5.3 … and several SRI expressions, the strongest of which matches",
            RelatedToV2("digestSRI", "sha256-WZVc7WaX1h4D8rJVb+vlMIqxaEKEb1tYbX8fet7JJzQ= " + V2Sri384) },
    };

    /// <summary>Credentials that break a statement of VC 2.0: issuing refuses each with a 400 naming where.</summary>
    public static TheoryData<string, JsonObject, string> NonConforming() => new()
    {
        { "4.3 credentials MUST include @context", With(c => c.Remove("@context")), "/@context" },
        { "4.3 the first @context item MUST be the VC 2.0 context", With(c => c["@context"] = new JsonArray(Examples, V2)), "/@context/0" },
        { "4.4 id MUST be a single URL (not a list)", With(c => c["id"] = new JsonArray("https://example.org/1", "https://example.org/2")), "/id" },
        { "4.4 id MUST be a URL", With(c => c["id"] = "https ://not-a-url/1"), "/id" },
        { "4.4 id MUST NOT be null", With(c => c["id"] = null), "/id" },
        { "4.4 a subject's id MUST be a single URL", With(c => c["credentialSubject"]!["id"] = new JsonArray("did:example:1", "did:example:2")), "/credentialSubject/id" },
        { "4.5 credentials MUST have a type", With(c => c.Remove("type")), "/type" },
        { "4.5 type MUST include VerifiableCredential", With(c => c["type"] = new JsonArray("RelationshipCredential")), "/type" },
        { "4.5 a type the @context does not map is refused (JSON-LD safe mode)", With(c => c["type"] = new JsonArray("VerifiableCredential", "UnmappedType")), "" },
        { "5.2.1 a context that redefines a protected term is refused",
            With(c => c["@context"] = new JsonArray(V2, new JsonObject { ["VerifiableCredential"] = "https://example.org/#Bad" })), "" },
        { "(JSON-LD 1.1, not VC 2.0) a context whose entry is @context redefines a keyword, which JSON-LD 1.1 refuses (w3c/json-ld-api toRdf #ter56)",
            With(c => c["@context"] = new JsonArray(V2, new JsonObject { ["@context"] = new JsonObject { ["ExtraTerm"] = "https://example.org/#ExtraTerm" } })), "" },
        { "4.6 a language value object has nothing but @value, @language and @direction",
            With(c => c["name"] = new JsonObject { ["@value"] = "Example", ["@language"] = "en", ["url"] = "did:example:x" }), "/name" },
        { "4.6 the issuer's description too",
            With(c => c["issuer"] = new JsonObject { ["description"] = new JsonObject { ["@value"] = "Example", ["url"] = "did:example:x" } }), "/issuer/description" },
        { "11.1 (JSON-LD, not VC 2.0) a base direction on a number has no RDF form that processors agree on",
            With(c => c["credentialSubject"]!["rank"] = new JsonObject { ["@value"] = 1, ["@direction"] = "ltr" }), "" },
        { "4.7 issuer MUST be a URL or an object whose id is one (here: not the issuer's did:key)", With(c => c["issuer"] = "fake-issuer"), "/issuer" },
        { "4.7 issuer MUST NOT be null", With(c => c["issuer"] = null), "/issuer" },
        { "4.7 issuer.id MUST NOT be null", With(c => c["issuer"] = new JsonObject { ["id"] = null }), "/issuer" },
        { "4.8 credentials MUST have a credentialSubject", With(c => c.Remove("credentialSubject")), "/credentialSubject" },
        { "4.8 each subject MUST make a claim", With(c => c["credentialSubject"] = new JsonObject()), "/credentialSubject" },
        { "4.8 each of several subjects MUST make a claim",
            With(c => c["credentialSubject"] = new JsonArray(new JsonObject { ["id"] = "did:example:1" }, new JsonObject())), "/credentialSubject/1" },
        { "4.9 validFrom MUST be an XML Schema dateTimeStamp", With(c => c["validFrom"] = "Sat 25 Feb 2023 07:16:31 PM CST"), "/validFrom" },
        { "4.9 validUntil MUST be an XML Schema dateTimeStamp", With(c => c["validUntil"] = "Sun, 26 Feb 2023 01:22:14 +0000"), "/validUntil" },
        { "4.9 validUntil MUST NOT be before validFrom",
            With(c => { c["validFrom"] = "2030-01-01T00:00:00Z"; c["validUntil"] = "2020-01-01T00:00:00Z"; }), "/validUntil" },
        { "4.10 a credentialStatus MUST have a type", With(c => c["credentialStatus"] = new JsonObject { ["id"] = "did:example:status" }), "/credentialStatus/type" },
        { "4.5 a credentialStatus's type is a string or strings", With(c => c["credentialStatus"] = new JsonObject { ["id"] = "did:example:status", ["type"] = 2 }), "/credentialStatus/type" },
        { "4.4 a credentialStatus's id MUST be a single URL",
            With(c => c["credentialStatus"] = new JsonObject { ["id"] = new JsonArray("did:example:status:1", "did:example:status:2"), ["type"] = "ExampleStatus" }), "/credentialStatus/id" },
        { "4.4 a credentialStatus's id MUST be a URL",
            With(c => c["credentialStatus"] = new JsonObject { ["id"] = "https ://not-a-url/status/4", ["type"] = "ExampleStatus" }), "/credentialStatus/id" },
        { "(the registry's rule) an issuer's status may not take the type of the registry's own entries",
            With(c => c["credentialStatus"] = new JsonObject { ["type"] = "BitstringStatusListEntry" }), "/credentialStatus/type" },
        { "4.11 each credentialSchema MUST have a type", With(c => c["credentialSchema"] = new JsonObject { ["id"] = "https://example.org/schemas/1.json" }), "/credentialSchema/type" },
        { "4.11 each credentialSchema MUST have an id", With(c => c["credentialSchema"] = new JsonObject { ["type"] = "JsonSchema" }), "/credentialSchema/id" },
        { "4.11 a credentialSchema's id MUST be a URL",
            With(c => c["credentialSchema"] = new JsonObject { ["type"] = "JsonSchema", ["id"] = "https ://not-a-url/1" }), "/credentialSchema/id" },
        { "5.3 each refreshService MUST have a type", With(c => c["refreshService"] = new JsonObject { ["id"] = "did:example:refresh/1" }), "/refreshService/type" },
        { "5.5 each termsOfUse MUST have a type", With(c => c["termsOfUse"] = new JsonObject { ["id"] = "did:example:terms/1" }), "/termsOfUse/type" },
        { "5.6 each evidence MUST have a type", With(c => c["evidence"] = new JsonObject()), "/evidence/type" },
        { "5.3 relatedResource values MUST be objects", With(c => c["relatedResource"] = new JsonArray("https://example.org/a.json")), "/relatedResource/0" },
        { "5.3 a relatedResource MUST have an id", With(c => c["relatedResource"] = new JsonArray(new JsonObject { ["digestSRI"] = "sha384-x" })), "/relatedResource/0/id" },
        { "5.3 relatedResource ids MUST be unique",
            With(c => c["relatedResource"] = new JsonArray(
                new JsonObject { ["id"] = "https://example.org/a.json", ["digestSRI"] = "sha384-x" },
                new JsonObject { ["id"] = "https://example.org/a.json", ["digestMultibase"] = "uX" })), "/relatedResource/1/id" },
        { "5.3 a relatedResource MUST have digestSRI or digestMultibase",
            With(c => c["relatedResource"] = new JsonObject { ["id"] = "https://example.org/a.json" }), "/relatedResource" },
        { "5.3 a digest that does not match the resource is an error (the base context, whose bytes the registry holds): another file's SHA-384",
            RelatedToV2("digestSRI", DraftSri384), "/relatedResource/0/digestSRI" },
        { "5.3 … a SHA-256 given raw, not as a multihash", RelatedToV2("digestMultibase", DraftRaw256), "/relatedResource/0/digestMultibase" },
        { "5.3 … a multihash of another SHA-256", RelatedToV2("digestMultibase", "uEiB" + new string('A', 43)), "/relatedResource/0/digestMultibase" },
        { "5.3 … an SRI digest in base64url, not base64",
            RelatedToV2("digestSRI", "sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4JpnXEz6a5AeeY_1qQ0d0P"), "/relatedResource/0/digestSRI" },
        { "5.3 … the strongest of several SRI expressions does not match", RelatedToV2("digestSRI", V2Sri384 + " " + "sha512-" + new string('A', 86) + "=="),
            "/relatedResource/0/digestSRI" },
    };

    [Theory]
    [MemberData(nameof(Conforming))]
    public async Task Issuing_accepts_a_conforming_credential_and_signs_it_so_the_verifier_accepts_it(string statement, JsonObject credential)
    {
        var (issuer, client) = await IssuerAsync();
        credential["issuer"] = credential["issuer"] is JsonObject profile ? WithId(profile, issuer.DidKey) : issuer.DidKey;
        var response = await client.PostAsJsonAsync("/credentials/issue", new JsonObject { ["credential"] = credential, ["options"] = new JsonObject() });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{statement}: {body}");
        var issued = (JsonObject)JsonNode.Parse(body)!["verifiableCredential"]!.DeepClone();

        // What the issuer sent is what it signed: every field it gave is there unchanged (the issuer aside, which the registry writes).
        foreach (var (field, value) in credential)
            if (field is not ("issuer" or "@context" or "credentialStatus")) Assert.True(JsonNode.DeepEquals(value, issued[field]), $"{statement}: {field} changed");
        // The registry's status entries come first (verifiers that read one read the registry's), the issuer's after them.
        var status = issued["credentialStatus"]!.AsArray();
        Assert.Equal(["BitstringStatusListEntry", "EthereumRevocationRegistry2026"], status.Take(2).Select(e => e!["type"]!.GetValue<string>()));
        var given = credential["credentialStatus"] switch { JsonArray list => list.ToList(), null => [], var one => [one] };
        Assert.True(given.Count == status.Count - 2 && given.Select((e, i) => JsonNode.DeepEquals(e, status[i + 2])).All(same => same), $"{statement}: credentialStatus");
        Assert.Equal(V2, issued["@context"]![0]!.GetValue<string>());

        // The verifier accepts it, unless (VC 2.0 4.9) the moment is outside its validity period, which it refuses by name.
        var now = DateTimeOffset.UtcNow;
        var outside = (XsdDateTime.TryParse(issued["validFrom"]?.GetValue<string>(), out var from) && from > now)
            || (XsdDateTime.TryParse(issued["validUntil"]?.GetValue<string>(), out var until) && until < now);
        var verify = await registry.App.CreateClient().PostAsJsonAsync("/credentials/verify", new JsonObject { ["verifiableCredential"] = issued });
        var verdict = await verify.Content.ReadAsStringAsync();
        if (outside) Assert.True(verify.StatusCode == HttpStatusCode.BadRequest && JsonNode.Parse(verdict)!["check"]!.GetValue<string>() == "validity", $"{statement}: {verdict}");
        else Assert.True(verify.StatusCode == HttpStatusCode.OK, $"{statement}: {verdict}");
    }

    private static readonly SemaphoreSlim IssuerLock = new(1, 1);
    private static IssuerWithClient? _issuer;

    /// <summary>The issuer every issuing test of the class shares (one admission on chain, not one a row).</summary>
    private async Task<IssuerWithClient> IssuerAsync()
    {
        await IssuerLock.WaitAsync();
        try
        {
            return _issuer ??= await registry.App.AddIssuerAsync("W3C Conformance");
        }
        finally
        {
            IssuerLock.Release();
        }
    }

    [Theory]
    [MemberData(nameof(NonConforming))]
    public async Task Issuing_refuses_a_non_conforming_credential_with_a_400_naming_where(string statement, JsonObject credential, string at)
    {
        var (issuer, client) = await IssuerAsync();
        if (!credential.ContainsKey("issuer")) credential["issuer"] = issuer.DidKey;
        else if (credential["issuer"] is JsonObject { Count: > 0 } profile && !profile.ContainsKey("id")) profile["id"] = issuer.DidKey;
        var response = await client.PostAsJsonAsync("/credentials/issue", new JsonObject { ["credential"] = credential, ["options"] = new JsonObject() });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{statement}: {(int)response.StatusCode} {body}");
        var errors = JsonNode.Parse(body)!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(at), $"{statement}: expected an error at '{at}', got {errors.ToJsonString()}");
    }

    /// <summary>
    /// An issuer's own status entry is kept after the registry's, and the registry's verifiers say they did not check it:
    /// a warning of <c>POST /credentials/verify</c>, before and after anchoring, and the revocation check's message of
    /// <c>POST /verify</c>, whose verdict rests on the registry's entries alone.
    /// </summary>
    [Fact]
    public async Task An_issuer_s_own_status_is_kept_after_the_registry_s_and_reported_as_not_checked()
    {
        var (issuer, client) = await registry.App.AddIssuerAsync("Conformance Status");
        var credential = With(c =>
        {
            c["@context"] = new JsonArray(V2, Examples);
            c["issuer"] = issuer.DidKey;
            c["credentialStatus"] = new JsonObject { ["id"] = "https://example.org/status/7", ["type"] = "ExampleStatusList" };
        });
        var issued = await IssueAsync(client, credential);
        Assert.Equal("ExampleStatusList", issued["credentialStatus"]![2]!["type"]!.GetValue<string>());

        var pending = await VerifiedAsync(issued);
        Assert.Equal("pending", pending["anchoring"]!.GetValue<string>());
        Assert.Contains(pending["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("does not check", StringComparison.Ordinal));

        await client.SealAndAnchorAsync();
        var anchored = await client.PortableAsync(issued["id"]!.GetValue<string>()["urn:uuid:".Length..]);
        var chained = await VerifiedAsync(anchored);
        Assert.Equal("signature-and-chain", chained["evidence"]!.GetValue<string>());
        Assert.Contains(chained["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("does not check", StringComparison.Ordinal));

        var response = await registry.App.CreateClient().PostAsJsonAsync("/verify", anchored);
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(report["verified"]!.GetValue<bool>(), report.ToJsonString());
        var revocation = report["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "revocation")!;
        Assert.Equal("passed", revocation["status"]!.GetValue<string>());
        Assert.Contains("does not check", revocation["message"]!.GetValue<string>());
    }

    /// <summary>
    /// The credential the W3C EdDSA suite's issuer tests post: VC 1.1 (its helpers' validVc.json), with the suite's fresh
    /// <c>urn:uuid:</c> id.
    /// </summary>
    private static JsonObject Vc11() => Samples.Vc11(id: $"urn:uuid:{Guid.NewGuid()}");

    private static JsonObject Vc11With(Action<JsonObject> change)
    {
        var credential = Vc11();
        change(credential);
        return credential;
    }

    /// <summary>The two forms of credential the suites' issuer tests post: VC 2.0, and VC 1.1 (the EdDSA suite's).</summary>
    public static TheoryData<string> Versions() => ["2.0", "1.1"];

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task An_issued_credential_carries_one_well_formed_eddsa_rdfc_2022_proof_by_its_issuers_did_key(string version)
    {
        var (issuer, client) = await registry.App.AddIssuerAsync($"Conformance Proof Format {version}");
        var submitted = version == "1.1" ? Vc11() : Minimal();
        submitted["issuer"] = issuer.DidKey;
        var issued = await IssueAsync(client, submitted);
        // VC 1.1 stays VC 1.1; the proof's terms come from the Data Integrity context, added because VC 1.1's does not define them.
        Assert.Equal(version == "1.1" ? V1 : V2, issued["@context"]![0]!.GetValue<string>());
        if (version == "1.1")
        {
            Assert.Contains(issued["@context"]!.AsArray(), c => c is JsonValue v && v.GetValue<string>() == DataIntegrityV2);
            Assert.Equal(submitted["issuanceDate"]!.GetValue<string>(), issued["issuanceDate"]!.GetValue<string>());
        }
        // Data Integrity 2.1: a proof property, one object; eddsa-rdfc-2022 2.2: type, cryptosuite, proofValue (base58-btc, 64 bytes).
        var proof = Assert.IsType<JsonObject>(issued["proof"]);
        Assert.Equal("DataIntegrityProof", proof["type"]!.GetValue<string>());
        Assert.Equal("eddsa-rdfc-2022", proof["cryptosuite"]!.GetValue<string>());
        Assert.Equal("assertionMethod", proof["proofPurpose"]!.GetValue<string>());
        Assert.True(Multikey.TryDecodeBase58Btc(proof["proofValue"]!.GetValue<string>(), out var signature, out _));
        Assert.Equal(64, signature.Length);
        Assert.True(XsdDateTime.TryParse(proof["created"]!.GetValue<string>(), out _));
        // The verification method: the issuer's did:key (a Multikey whose publicKeyMultibase starts with z6Mk), fragment and all.
        var method = proof["verificationMethod"]!.GetValue<string>();
        Assert.Equal($"{issuer.DidKey}#{issuer.DidKey["did:key:".Length..]}", method);
        Assert.StartsWith("z6Mk", method.Split('#')[1]);
        Assert.True(EddsaRdfc2022.Verify(issued).Verified);
        // And the registry's verifier accepts it by its signature.
        await VerifyOkAsync((JsonObject)issued.DeepClone());
    }

    /// <summary>
    /// What issuing a VC 1.1 credential refuses (docs/STANDARDS.md, "VC 1.1 credentials"): VC 1.1's date rules, an Open Badges
    /// credential (a VC 2.0 form), and, as Data Integrity asks of JSON-LD processing (the EdDSA suite's issuer tests), an
    /// undefined type or term, which safe mode would drop.
    /// </summary>
    public static TheoryData<string, JsonObject, string> NonConformingVc11() => new()
    {
        { "VC 1.1 4.6 a credential MUST have an issuanceDate", Vc11With(c => c.Remove("issuanceDate")), "/issuanceDate" },
        { "VC 1.1 4.6 issuanceDate is a date-time", Vc11With(c => c["issuanceDate"] = "16 March 2020"), "/issuanceDate" },
        { "VC 1.1 4.7 expirationDate is not before issuanceDate", Vc11With(c => c["expirationDate"] = "2019-01-01T00:00:00Z"), "/expirationDate" },
        { "VC 1.1 names the validity period issuanceDate and expirationDate, not validFrom", Vc11With(c => c["validFrom"] = "2020-03-16T22:37:26Z"), "/validFrom" },
        { "Open Badges 3.0 credentials are VC 2.0 credentials",
            Vc11With(c => { c["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"); c["name"] = "Badge"; }), "/@context/0" },
        { "Data Integrity 2.4 an undefined type is an error", Vc11With(c => c["type"]!.AsArray().Add("InvalidType")), "" },
        { "Data Integrity 2.4 an undefined term is an error", Vc11With(c => c["credentialSubject"]!["invalidTerm"] = "invalidTerm"), "" },
        { "VC 1.1 a credential needs a subject", Vc11With(c => c.Remove("credentialSubject")), "/credentialSubject" },
    };

    [Theory]
    [MemberData(nameof(NonConformingVc11))]
    public async Task Issuing_refuses_a_non_conforming_VC_1_1_credential_with_a_400_naming_where(string statement, JsonObject credential, string at) =>
        await Issuing_refuses_a_non_conforming_credential_with_a_400_naming_where(statement, credential, at);

    /// <summary>
    /// A VC 1.1 credential's validity period is its issuanceDate and expirationDate in every verifier of the registry: one
    /// that expired is issued, and refused by <c>POST /credentials/verify</c> and, once anchored, by <c>POST /verify</c>'s
    /// <c>validity</c> check, its <c>format</c> check naming it VC 1.1.
    /// </summary>
    [Fact]
    public async Task An_expired_VC_1_1_credential_fails_validity_by_its_expirationDate_before_and_after_anchoring()
    {
        var (issuer, client) = await registry.App.AddIssuerAsync("Conformance VC 1.1 Validity");
        var credential = Vc11With(c => { c.Remove("id"); c["issuer"] = issuer.DidKey; c["expirationDate"] = "2021-03-16T22:37:26Z"; });
        var issued = await IssueAsync(client, credential);
        Assert.Equal("validity", await VerifyRefusedAsync((JsonObject)issued.DeepClone()));

        await client.SealAndAnchorAsync();
        var anchored = await client.PortableAsync(issued["id"]!.GetValue<string>()["urn:uuid:".Length..]);
        var report = await registry.App.VerifyAsync(anchored);
        Assert.Equal("validity", report.FailedCheck()?["name"]?.GetValue<string>());
        var format = report["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "format")!;
        Assert.StartsWith("A VC 1.1 credential", format["message"]!.GetValue<string>());
    }

    /// <summary>VC 1.1 is accepted where the registry signs at once, the VC API route; its own routes issue VC 2.0 only.</summary>
    [Fact]
    public async Task The_registry_s_own_issuing_route_refuses_VC_1_1()
    {
        var (issuer, client) = await IssuerAsync();
        var credential = Vc11With(c => c["issuer"] = issuer.DidKey);
        var response = await client.PostAsJsonAsync("/credentials", credential);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.True(JsonNode.Parse(body)!["errors"]!.AsObject().ContainsKey("/@context/0"), body);
    }

    [Fact]
    public async Task The_verifier_refuses_what_is_not_a_credential_and_a_proof_of_another_suite_or_purpose()
    {
        // VC 2.0 1.3: a conforming verifier produces errors when non-conforming documents are detected.
        Assert.Equal("format", await VerifyRefusedAsync(new JsonObject { ["type"] = new JsonArray("NonconformingDocument") }));
        Assert.Equal("format", await PresentRefusedAsync(new JsonObject { ["type"] = new JsonArray("NonconformingDocument") }));

        var key = Ed25519Keys.Generate();
        var signed = Signed(key);
        Assert.Equal("signature", await VerifyRefusedAsync(Changed(signed, p => p["proofPurpose"] = "authentication")));
        Assert.Equal("proof", await VerifyRefusedAsync(Changed(signed, p => p["cryptosuite"] = "eddsa-jcs-2022")));
        Assert.Equal("proof", await VerifyRefusedAsync(Changed(signed, p => p["type"] = "JsonWebSignature2020")));
        // An Ed25519Signature2020 proof is one this verifier checks, and an eddsa-rdfc-2022 signature is not one.
        Assert.Equal("signature", await VerifyRefusedAsync(Changed(signed, p => { p["type"] = "Ed25519Signature2020"; p.Remove("cryptosuite"); })));
        Assert.Equal("signature", await VerifyRefusedAsync(Changed(signed, p => p["created"] = "not a date")));
        Assert.Equal("signature", await VerifyRefusedAsync(Changed(signed, p => p["proofValue"] = "ZbadEncoding")));
        Assert.Equal("signature", await VerifyRefusedAsync(Changed(signed, p => p["verificationMethod"] = "https://example.org/key")));
        // An undefined term is refused by safe mode: the signature cannot hold over a document whose JSON-LD drops it.
        var undefinedTerm = (JsonObject)signed.DeepClone();
        undefinedTerm["credentialSubject"]!["undefinedTerm"] = "x";
        undefinedTerm["@context"] = new JsonArray(V2);
        Assert.Equal("signature", await VerifyRefusedAsync(undefinedTerm));
    }

    [Fact]
    public async Task Every_proof_of_a_set_must_verify_and_a_chain_names_proofs_of_the_set()
    {
        var key = Ed25519Keys.Generate();
        var unsecured = PortableCredential.WithoutProof(Signed(key));
        // Data Integrity 2.1.1: a proof set, each proof verifying on its own.
        var first = Proof(unsecured, key, id: "urn:uuid:first-proof");
        var second = Proof(unsecured, key);
        await VerifyOkAsync(WithProofs(unsecured, first, second));
        var broken = (JsonObject)second.DeepClone();
        broken["created"] = "2001-01-01T00:00:00Z";
        Assert.Equal("signature", await VerifyRefusedAsync(WithProofs(unsecured, first, broken)));

        // 2.1.2: a proof chain: previousProof (an id or a list of them) names proofs of the set, which the later proof covers.
        await VerifyOkAsync(WithProofs(unsecured, first, Proof(unsecured, key, previous: [first], previousProof: "urn:uuid:first-proof")));
        await VerifyOkAsync(WithProofs(unsecured, first, Proof(unsecured, key, previous: [first], previousProof: new JsonArray("urn:uuid:first-proof"))));
        Assert.Equal("proof", await VerifyRefusedAsync(WithProofs(unsecured, first, Proof(unsecured, key, previous: [first], previousProof: "urn:uuid:no-such-proof"))));
        // A chained proof made without the proof it names does not verify.
        Assert.Equal("signature", await VerifyRefusedAsync(WithProofs(unsecured, first, Proof(unsecured, key, previousProof: "urn:uuid:first-proof"))));
    }

    /// <summary>
    /// The eddsa-rdfc-2022 suite's verifier tests send VC 1.1 credentials (its data model is not the cryptosuite's
    /// concern): such a credential verifies by its proof, with issuanceDate and expirationDate as its validity period.
    /// </summary>
    [Fact]
    public async Task A_VC_1_1_credential_verifies_by_its_proof_and_its_issuance_and_expiration_dates()
    {
        var key = Ed25519Keys.Generate();
        var credential = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/data-integrity/v2",
                new JsonObject { ["alumniOf"] = "https://www.example.org/alumniOf" }),
            ["id"] = $"urn:uuid:{Guid.NewGuid()}",
            ["type"] = new JsonArray("VerifiableCredential"),
            ["issuer"] = DidKey.For(key.PublicKey),
            ["issuanceDate"] = "2023-01-01T00:00:00Z",
            ["credentialSubject"] = new JsonObject { ["id"] = "did:example:abcdefgh", ["alumniOf"] = "The School of Examples" },
        };
        var signed = EddsaRdfc2022.Sign(credential, key, DateTimeOffset.UtcNow);
        await VerifyOkAsync(signed);
        // Both proofs of a set by the issuer's key.
        await VerifyOkAsync(EddsaRdfc2022.Sign(signed, key, DateTimeOffset.UtcNow.AddSeconds(1)));

        var expired = (JsonObject)credential.DeepClone();
        expired["expirationDate"] = "2024-01-01T00:00:00Z";
        Assert.Equal("validity", await VerifyRefusedAsync(EddsaRdfc2022.Sign(expired, key, DateTimeOffset.UtcNow)));
        var notYet = (JsonObject)credential.DeepClone();
        notYet["issuanceDate"] = "2999-01-01T00:00:00Z";
        Assert.Equal("validity", await VerifyRefusedAsync(EddsaRdfc2022.Sign(notYet, key, DateTimeOffset.UtcNow)));
        var undated = (JsonObject)credential.DeepClone();
        undated.Remove("issuanceDate");
        Assert.Equal("format", await VerifyRefusedAsync(EddsaRdfc2022.Sign(undated, key, DateTimeOffset.UtcNow)));
    }

    [Fact]
    public async Task A_presentation_without_the_VC_2_0_context_or_its_type_is_refused()
    {
        var holder = Ed25519Keys.Generate();
        var presentation = new JsonObject
        {
            ["@context"] = new JsonArray(V2),
            ["type"] = new JsonArray("VerifiablePresentation"),
            ["holder"] = DidKey.For(holder.PublicKey),
        };
        var noType = (JsonObject)presentation.DeepClone();
        noType.Remove("type");
        Assert.Equal("format", await PresentRefusedAsync(noType));
        var otherFirst = (JsonObject)presentation.DeepClone();
        otherFirst["@context"] = new JsonArray(Examples, V2);
        Assert.Equal("format", await PresentRefusedAsync(otherFirst));
        var response = await PresentAsync(Sign(presentation, holder));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private const string Challenge = "conformance-challenge";

    private static JsonObject Sign(JsonObject presentation, Ed25519KeyPair holder) =>
        EddsaRdfc2022.Sign(presentation, holder, DateTimeOffset.UtcNow, proofPurpose: "authentication", challenge: Challenge);

    private static JsonObject WithId(JsonObject profile, string id)
    {
        profile["id"] = id;
        return profile;
    }

    /// <summary>
    /// VC 2.0 5.3: a verifier that uses a related resource computes its digest and produces an error when the issuer's does
    /// not match. The registry uses the base context as already retrieved (VC 2.0 B.1), so a credential signed by anyone
    /// whose related resource gives the base context another digest is refused; its right digest verifies.
    /// </summary>
    [Fact]
    public async Task The_verifier_refuses_a_related_resource_whose_digest_does_not_match_the_base_context()
    {
        var key = Ed25519Keys.Generate();
        JsonObject SignedWith(string field, string digest)
        {
            var credential = RelatedToV2(field, digest);
            credential["issuer"] = DidKey.For(key.PublicKey);
            return EddsaRdfc2022.Sign(credential, key, DateTimeOffset.UtcNow);
        }
        await VerifyOkAsync(SignedWith("digestSRI", V2Sri384));
        await VerifyOkAsync(SignedWith("digestMultibase", V2Multihash256));
        Assert.Equal("format", await VerifyRefusedAsync(SignedWith("digestSRI", DraftSri384)));
        Assert.Equal("format", await VerifyRefusedAsync(SignedWith("digestMultibase", DraftRaw256)));
    }

    /// <summary>A minimal credential issued and signed by a did:key of its own.</summary>
    private static JsonObject Signed(Ed25519KeyPair key)
    {
        var credential = With(c => { c["@context"] = new JsonArray(V2, Examples); c["credentialSubject"]!["name"] = "Alice"; });
        credential["issuer"] = DidKey.For(key.PublicKey);
        return EddsaRdfc2022.Sign(credential, key, DateTimeOffset.UtcNow);
    }

    private static JsonObject Changed(JsonObject signed, Action<JsonObject> changeProof)
    {
        var copy = (JsonObject)signed.DeepClone();
        changeProof(copy["proof"]!.AsObject());
        return copy;
    }

    /// <summary>An eddsa-rdfc-2022 proof with an optional id and previousProof, made over the document holding <paramref name="previous"/>.</summary>
    private static JsonObject Proof(JsonObject unsecured, Ed25519KeyPair key, string? id = null, JsonObject[]? previous = null, JsonNode? previousProof = null)
    {
        var proof = new JsonObject
        {
            ["type"] = EddsaRdfc2022.ProofType,
            ["cryptosuite"] = EddsaRdfc2022.Cryptosuite,
            ["created"] = XsdDateTime.Format(DateTimeOffset.UtcNow),
            ["verificationMethod"] = DidKey.VerificationMethod(key.PublicKey),
            ["proofPurpose"] = "assertionMethod",
        };
        if (id is not null) proof["id"] = id;
        if (previousProof is not null) proof["previousProof"] = previousProof;
        var document = (JsonObject)unsecured.DeepClone();
        if (previous is not null) document["proof"] = new JsonArray(previous.Select(p => (JsonNode)p.DeepClone()).ToArray());
        var hashData = EddsaRdfc2022.HashData(EddsaRdfc2022.SafeCanonicalizer(EddsaRdfc2022.ProofConfiguration(proof, document)),
            EddsaRdfc2022.SafeCanonicalizer(document));
        proof["proofValue"] = Multikey.EncodeBase58Btc(Ed25519Keys.Sign(key, hashData));
        return proof;
    }

    private static JsonObject WithProofs(JsonObject unsecured, params JsonObject[] proofs)
    {
        var secured = (JsonObject)unsecured.DeepClone();
        secured["proof"] = new JsonArray(proofs.Select(p => (JsonNode)p.DeepClone()).ToArray());
        return secured;
    }

    private static async Task<JsonObject> IssueAsync(HttpClient client, JsonObject credential) => (await client.VcApiIssueAsync(credential)).Issued;

    private async Task<JsonObject> VerifiedAsync(JsonObject credential)
    {
        var response = await registry.App.CreateClient().PostAsJsonAsync("/credentials/verify", new JsonObject { ["verifiableCredential"] = credential.DeepClone() });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private async Task VerifyOkAsync(JsonObject credential)
    {
        var response = await registry.App.CreateClient().PostAsJsonAsync("/credentials/verify", new JsonObject { ["verifiableCredential"] = credential });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private Task<string> VerifyRefusedAsync(JsonObject credential) => registry.App.VcApiRefusedCheckAsync(credential);

    private Task<HttpResponseMessage> PresentAsync(JsonObject presentation) =>
        registry.App.CreateClient().PostAsJsonAsync("/presentations/verify",
            new JsonObject { ["verifiablePresentation"] = presentation, ["options"] = new JsonObject { ["challenge"] = Challenge } });

    private async Task<string> PresentRefusedAsync(JsonObject presentation)
    {
        var response = await PresentAsync(presentation);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        return JsonNode.Parse(body)!["check"]!.GetValue<string>();
    }
}
