using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Signatures;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Interop;

/// <summary>
/// The W3C VC API routes on a registry under test (real HTTP, real node): a credential issued through
/// <c>POST /credentials/issue</c> is signed at once and anchored unchanged; <c>POST /credentials/verify</c> tells the
/// evidence it had (signature, or signature and chain) and a pending anchoring, and names the check a bad credential
/// fails; <c>POST /presentations/verify</c> checks the holder's proof with its challenge and domain.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class VcApiTests(SharedRegistry registry)
{
    private const string Challenge = "c0ffee-4711";
    private const string Domain = "verifier.example";

    [Fact]
    public async Task An_issued_credential_is_signed_at_once_and_its_body_is_the_anchored_one()
    {
        var (issuer, client) = await registry.App.AddIssuerAsync("VC API College");
        var issued = await IssueAsync(client, Samples.Badge("did:example:vcapi-learner"));
        var proof = issued["proof"]!.AsObject();
        Assert.Equal(EddsaRdfc2022.Cryptosuite, proof["cryptosuite"]!.GetValue<string>());
        Assert.Equal(ProofSet.VerificationMethodOf(issuer.DidKey), proof["verificationMethod"]!.GetValue<string>());
        Assert.Equal(issuer.DidKey, issued["issuer"]!["id"]!.GetValue<string>());
        Assert.True(EddsaRdfc2022.Verify(issued).Verified);

        // Signed, not anchored yet: the signature is the evidence, and the answer says anchoring is pending.
        var pending = await VerifyOkAsync(issued);
        Assert.Equal("signature", pending["evidence"]!.GetValue<string>());
        Assert.Equal("pending", pending["anchoring"]!.GetValue<string>());
        Assert.Contains("signature", pending["checks"]!.AsArray().Select(c => c!.GetValue<string>()));

        var changed = (JsonObject)issued.DeepClone();
        changed["credentialSubject"]!["name"] = "Mallory";
        Assert.Equal("signature", await VerifyRefusedAsync(changed));

        var sealedBatch = await client.PostAsync("/batches", null);
        Assert.Equal(HttpStatusCode.Accepted, sealedBatch.StatusCode);
        await RegistryApp.WaitForBatchAsync(client, (await sealedBatch.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>(), "anchored");
        var id = issued["id"]!.GetValue<string>()["urn:uuid:".Length..];
        var anchored = await client.PortableAsync(id);

        // The anchored credential is the issued one with the anchor proof added to its proof set.
        Assert.True(JsonNode.DeepEquals(PortableCredential.WithoutProof(issued), PortableCredential.WithoutProof(anchored)));
        var set = anchored["proof"]!.AsArray();
        Assert.Equal(2, set.Count);
        Assert.Equal(AnchorProof.ProofType, set[0]!["type"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(proof, set[1]));

        var chained = await VerifyOkAsync(anchored);
        Assert.Equal("signature-and-chain", chained["evidence"]!.GetValue<string>());
        Assert.Equal("anchored", chained["anchoring"]!.GetValue<string>());
        Assert.True(chained["verification"]!["verified"]!.GetValue<bool>());
        Assert.Contains("merkle", chained["checks"]!.AsArray().Select(c => c!.GetValue<string>()));

        // The copy without the anchor proof still verifies by its signature, and says where the anchored one is.
        var unanchoredCopy = await VerifyOkAsync(issued);
        Assert.Equal("signature", unanchoredCopy["evidence"]!.GetValue<string>());
        Assert.Equal("anchored", unanchoredCopy["anchoring"]!.GetValue<string>());

        // Changed after anchoring: the signature fails before any chain check.
        var renamed = (JsonObject)anchored.DeepClone();
        renamed["credentialSubject"]!["name"] = "Mallory";
        Assert.Equal("signature", await VerifyRefusedAsync(renamed));
        // A changed anchor proof is covered by no signature: the chain checks catch it.
        var moved = (JsonObject)anchored.DeepClone();
        moved["proof"]![0]!["merkleRoot"] = "0x" + new string('1', 64);
        Assert.NotEqual("signature", await VerifyRefusedAsync(moved));
    }

    [Fact]
    public async Task A_credential_in_the_W3C_examples_context_is_issued_and_verified()
    {
        var (_, client) = await registry.App.AddIssuerAsync("VC API Examples");
        var credential = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
            ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
            ["credentialSubject"] = new JsonObject { ["id"] = "did:example:abcdefgh", ["alumniOf"] = "The School of Examples" },
        };
        var issued = await IssueAsync(client, credential);
        Assert.Equal("pending", (await VerifyOkAsync(issued))["anchoring"]!.GetValue<string>());
        var changed = (JsonObject)issued.DeepClone();
        changed["credentialSubject"]!["alumniOf"] = "Another School";
        Assert.Equal("signature", await VerifyRefusedAsync(changed));
    }

    [Fact]
    public async Task A_credential_of_a_did_key_the_registry_does_not_know_verifies_by_its_signature_alone()
    {
        var key = Ed25519Keys.Generate();
        var credential = ForeignCredential(key);
        var verdict = await VerifyOkAsync(credential);
        Assert.Equal("signature", verdict["evidence"]!.GetValue<string>());
        Assert.Null(verdict["anchoring"]);
        Assert.Equal(DidKey.For(key.PublicKey), verdict["issuer"]!.GetValue<string>());

        // Signed by a key that is not the issuer's.
        var unsigned = PortableCredential.WithoutProof(credential);
        Assert.Equal("issuer", await VerifyRefusedAsync(EddsaRdfc2022.Sign(unsigned, Ed25519Keys.Generate(), DateTimeOffset.UtcNow)));
        // No proof, a proof of another cryptosuite, an expired credential, not VC 2.0.
        Assert.Equal("proof", await VerifyRefusedAsync(unsigned));
        var otherSuite = (JsonObject)credential.DeepClone();
        otherSuite["proof"]!["cryptosuite"] = "ecdsa-rdfc-2019";
        Assert.Equal("proof", await VerifyRefusedAsync(otherSuite));
        var expired = (JsonObject)unsigned.DeepClone();
        expired["validUntil"] = "2001-01-01T00:00:00Z";
        Assert.Equal("validity", await VerifyRefusedAsync(EddsaRdfc2022.Sign(expired, key, DateTimeOffset.UtcNow)));
        var v1 = (JsonObject)credential.DeepClone();
        v1["@context"] = new JsonArray("https://www.w3.org/2018/credentials/v1");
        Assert.Equal("format", await VerifyRefusedAsync(v1));
        // A challenge asked for that the proof does not carry.
        Assert.Equal("challenge", await VerifyRefusedAsync(credential, new JsonObject { ["challenge"] = Challenge }));
    }

    /// <summary>
    /// A credential as DCC's issuers and wallets sign them: Ed25519Signature2020 by a did:key, made by
    /// @digitalcredentials/vc and @digitalcredentials/ed25519-signature-2020 themselves (tests/interop/issue-ed25519-2020.mjs),
    /// in VC 1.1 and in VC 2.0. It verifies by its proof; a copy altered anywhere fails the signature check.
    /// </summary>
    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task A_credential_signed_with_Ed25519Signature2020_by_DCC_s_libraries_verifies_and_an_altered_copy_fails_its_signature(string version)
    {
        var signed = await SignedByNodeScriptAsync("issue-ed25519-2020.mjs", version);
        Assert.Equal(Ed25519Signature2020.ProofType, signed["proof"]!["type"]!.GetValue<string>());

        var verdict = await VerifyOkAsync(signed);
        Assert.Equal("signature", verdict["evidence"]!.GetValue<string>());
        Assert.Equal(signed["issuer"]!["id"]!.GetValue<string>(), verdict["issuer"]!.GetValue<string>());
        Assert.Equal(["format", "proof", "signature", "issuer", "validity"], verdict["checks"]!.AsArray().Select(c => c!.GetValue<string>()));

        var claim = (JsonObject)signed.DeepClone();
        claim["credentialSubject"]!["achievement"]!["name"] = "Advanced Solidity";
        Assert.Equal("signature", await VerifyRefusedAsync(claim));
        var subject = (JsonObject)signed.DeepClone();
        subject["credentialSubject"]!["id"] = "did:example:mallory";
        Assert.Equal("signature", await VerifyRefusedAsync(subject));
        var created = (JsonObject)signed.DeepClone();
        created["proof"]!["created"] = "2001-01-01T00:00:00Z";
        Assert.Equal("signature", await VerifyRefusedAsync(created));
        // The suite's context defines its proof's terms: without it the proof cannot be read.
        var noSuiteContext = (JsonObject)signed.DeepClone();
        noSuiteContext["@context"]!.AsArray().RemoveAt(2);
        Assert.Equal("signature", await VerifyRefusedAsync(noSuiteContext));
        // The same proof re-signed by another key: it verifies, but that key is not the issuer's.
        var resigned = Ed25519Signature2020.Sign(PortableCredential.WithoutProof(signed), Ed25519Keys.Generate(), DateTimeOffset.UtcNow);
        Assert.Equal("issuer", await VerifyRefusedAsync(resigned));
    }

    /// <summary>
    /// A credential with base directions (<c>@direction</c> on its name, description and a claim) signed by Digital Bazaar's
    /// libraries (@digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite, tests/interop/sign-eddsa-rdfc-2022.mjs): the registry
    /// converts directions as that cryptosuite does, so it verifies; a direction turned round, or left out, fails the signature.
    /// </summary>
    [Fact]
    public async Task A_credential_with_base_directions_signed_by_Digital_Bazaar_s_libraries_verifies_and_a_changed_direction_fails()
    {
        var file = Path.Combine(TempFolder.Create(), "directed.json");
        await File.WriteAllTextAsync(file, Samples.Directed().ToJsonString());
        var signed = await SignedByNodeScriptAsync("sign-eddsa-rdfc-2022.mjs", file);
        Assert.Equal(EddsaRdfc2022.Cryptosuite, signed["proof"]!["cryptosuite"]!.GetValue<string>());

        var verdict = await VerifyOkAsync(signed);
        Assert.Equal("signature", verdict["evidence"]!.GetValue<string>());

        var turned = (JsonObject)signed.DeepClone();
        turned["credentialSubject"]!["skill"]!["@direction"] = "ltr";
        Assert.Equal("signature", await VerifyRefusedAsync(turned));
        var undirected = (JsonObject)signed.DeepClone();
        undirected["description"]!.AsObject().Remove("@direction");
        Assert.Equal("signature", await VerifyRefusedAsync(undirected));
        var relabelled = (JsonObject)signed.DeepClone();
        relabelled["name"]![1]!["@language"] = "en-US";
        Assert.Equal("signature", await VerifyRefusedAsync(relabelled));
    }

    [Fact]
    public async Task Bad_requests_get_a_problem_document_naming_the_field()
    {
        var client = registry.App.CreateClient();
        var credential = ForeignCredential(Ed25519Keys.Generate());
        foreach (var (route, body, field) in new (string, JsonNode, string)[]
        {
            ("/credentials/verify", new JsonObject(), "/verifiableCredential"),
            ("/credentials/verify", new JsonObject { ["verifiableCredential"] = "a string" }, "/verifiableCredential"),
            ("/credentials/verify", new JsonObject { ["verifiableCredential"] = credential.DeepClone(), ["options"] = 3 }, "/options"),
            ("/credentials/verify", new JsonObject { ["verifiableCredential"] = credential.DeepClone(), ["options"] = new JsonObject { ["domain"] = 3 } }, "/options/domain"),
            ("/presentations/verify", new JsonObject { ["verifiablePresentation"] = new JsonObject() }, "/options/challenge"),
            ("/presentations/verify", new JsonObject { ["verifiablePresentation"] = new JsonArray() }, "/verifiablePresentation"),
        })
        {
            var response = await client.PostAsJsonAsync(route, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"{route} {body.ToJsonString()}: {problem.ToJsonString()}");
        }
        var array = await client.PostAsJsonAsync("/credentials/verify", new JsonArray());
        Assert.Equal(HttpStatusCode.BadRequest, array.StatusCode);

        var (_, issuer) = await registry.App.AddIssuerAsync("VC API Refusals");
        var noCredential = await issuer.PostAsJsonAsync("/credentials/issue", new JsonObject { ["options"] = new JsonObject() });
        Assert.Equal(HttpStatusCode.BadRequest, noCredential.StatusCode);
        var invalid = Samples.Badge();
        invalid["issuer"] = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
        var refused = await issuer.PostAsJsonAsync("/credentials/issue", new JsonObject { ["credential"] = invalid });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("/issuer"));
        var anonymous = await client.PostAsJsonAsync("/credentials/issue", new JsonObject { ["credential"] = Samples.Badge() });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_presentation_is_verified_with_its_challenge_and_domain_and_each_credential_inside()
    {
        var (_, client) = await registry.App.AddIssuerAsync("VC API Presentations");
        var issued = await IssueAsync(client, Samples.Badge("did:example:holder"));
        var foreign = ForeignCredential(Ed25519Keys.Generate());
        var holder = Ed25519Keys.Generate();

        var right = Presentation(holder, [issued, foreign], Challenge, Domain);
        var verdict = await PresentAsync(right, Challenge, Domain, HttpStatusCode.OK);
        Assert.True(verdict["verified"]!.GetValue<bool>());
        Assert.Equal(DidKey.For(holder.PublicKey), verdict["holder"]!.GetValue<string>());
        var credentials = verdict["credentials"]!.AsArray();
        Assert.Equal(2, credentials.Count);
        Assert.Equal("pending", credentials[0]!["anchoring"]!.GetValue<string>());
        Assert.Null(credentials[1]!["anchoring"]);

        Assert.Equal("challenge", (await PresentAsync(right, "another-challenge", Domain, HttpStatusCode.BadRequest))["check"]!.GetValue<string>());
        Assert.Equal("domain", (await PresentAsync(right, Challenge, "elsewhere.example", HttpStatusCode.BadRequest))["check"]!.GetValue<string>());
        // Signed for another challenge and sent with it changed: the signature no longer holds.
        var altered = (JsonObject)right.DeepClone();
        altered["proof"]!["challenge"] = "another-challenge";
        Assert.Equal("signature", (await PresentAsync(altered, "another-challenge", Domain, HttpStatusCode.BadRequest))["check"]!.GetValue<string>());

        // A credential inside that was changed: the presentation's signature holds over it, the credential's does not.
        var changed = (JsonObject)issued.DeepClone();
        changed["credentialSubject"]!["name"] = "Mallory";
        var problem = await PresentAsync(Presentation(holder, [foreign, changed], Challenge, Domain), Challenge, Domain, HttpStatusCode.BadRequest);
        Assert.Equal("signature", problem["check"]!.GetValue<string>());
        Assert.Equal("/verifiablePresentation/verifiableCredential/1", problem["at"]!.GetValue<string>());

        // Holder named as another DID than the one that signed.
        var other = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"), ["type"] = new JsonArray("VerifiablePresentation"),
            ["holder"] = DidKey.For(Ed25519Keys.Generate().PublicKey),
        };
        var claimed = EddsaRdfc2022.Sign(other, holder, DateTimeOffset.UtcNow, proofPurpose: "authentication", challenge: Challenge, domain: Domain);
        Assert.Equal("holder", (await PresentAsync(claimed, Challenge, Domain, HttpStatusCode.BadRequest))["check"]!.GetValue<string>());
        // An assertionMethod proof is no authentication.
        var asserted = EddsaRdfc2022.Sign(PortableCredential.WithoutProof(right), holder, DateTimeOffset.UtcNow, challenge: Challenge, domain: Domain);
        Assert.Equal("signature", (await PresentAsync(asserted, Challenge, Domain, HttpStatusCode.BadRequest))["check"]!.GetValue<string>());
    }

    /// <summary>The credential a signing script of tests/interop prints (its one JSON line), the script having exited 0.</summary>
    private static async Task<JsonObject> SignedByNodeScriptAsync(string script, string argument)
    {
        var (exitCode, output) = await ProgramRunner.RunAsync("node",
            [Path.Combine(RepositoryRoot.Path, "tests", "interop", script), argument], timeoutSeconds: 120);
        Assert.True(exitCode == 0, output);
        return JsonNode.Parse(output.Split('\n').Single(l => l.StartsWith('{')))!.AsObject();
    }

    private static async Task<JsonObject> IssueAsync(HttpClient client, JsonObject credential) => (await client.VcApiIssueAsync(credential)).Issued;

    private Task<JsonObject> VerifyOkAsync(JsonObject credential) => registry.App.VcApiVerifiedAsync(credential);

    /// <summary>The check a refused credential is named as failing, after asserting the refusal is a 400 problem document.</summary>
    private async Task<string> VerifyRefusedAsync(JsonObject credential, JsonObject? options = null)
    {
        var response = await registry.App.CreateClient().PostAsJsonAsync("/credentials/verify",
            new JsonObject { ["verifiableCredential"] = credential.DeepClone(), ["options"] = options ?? new JsonObject() });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!["check"]!.GetValue<string>();
    }

    private async Task<JsonObject> PresentAsync(JsonObject presentation, string challenge, string domain, HttpStatusCode expected)
    {
        var response = await registry.App.CreateClient().PostAsJsonAsync("/presentations/verify", new JsonObject
        {
            ["verifiablePresentation"] = presentation.DeepClone(),
            ["options"] = new JsonObject { ["challenge"] = challenge, ["domain"] = domain },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>A plain VC 2.0 credential issued and signed by a did:key of its own, outside any registry.</summary>
    private static JsonObject ForeignCredential(Ed25519KeyPair key)
    {
        var credential = Samples.Plain();
        credential["id"] = $"urn:uuid:{Guid.NewGuid()}";
        credential["issuer"] = DidKey.For(key.PublicKey);
        credential["validFrom"] = "2026-01-01T00:00:00Z";
        return EddsaRdfc2022.Sign(credential, key, DateTimeOffset.UtcNow);
    }

    private static JsonObject Presentation(Ed25519KeyPair holder, JsonObject[] credentials, string challenge, string domain)
    {
        var presentation = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
            ["type"] = new JsonArray("VerifiablePresentation"),
            ["holder"] = DidKey.For(holder.PublicKey),
            ["verifiableCredential"] = new JsonArray(credentials.Select(c => (JsonNode)c.DeepClone()).ToArray()),
        };
        return EddsaRdfc2022.Sign(presentation, holder, DateTimeOffset.UtcNow, proofPurpose: "authentication", challenge: challenge, domain: domain);
    }
}
