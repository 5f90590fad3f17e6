using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Interop;

/// <summary>
/// Credentials issued by a registry under test, checked by the verifiers that wallets and verifying
/// platforms run (tests/interop/standard-verifiers.mjs: @digitalbazaar/vc with the eddsa-rdfc-2022
/// cryptosuite and the Bitstring Status List checker, and @digitalcredentials/verifier-core), offline:
/// contexts from the project, did:key resolved locally, the status list fetched from this registry.
/// Each tampered credential must fail in both, and in the registry's own verifier.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class StandardVerifierTests(LocalAnvilNode node)
{
    [Fact]
    public async Task Standard_verifiers_accept_what_the_registry_issues_and_refuse_what_was_changed()
    {
        await using var app = AppServingItsStatusLists();
        var (_, client) = await app.AddIssuerAsync("Standard College");
        var other = await app.CreateIssuerAsync("Other Academy");
        var ids = await app.IssueAndAnchorAsync(client, Samples.Badge("did:example:valid"), Samples.Badge("did:example:revoked"), Samples.Badge("did:example:third"));
        var revoke = await client.PostAsJsonAsync($"/credentials/{ids[1]}/revoke", new { reason = "Awarded in error" });
        Assert.Equal(HttpStatusCode.Accepted, revoke.StatusCode);

        var valid = await client.PortableAsync(ids[0]);
        var revoked = await client.PortableAsync(ids[1]);
        var third = await client.PortableAsync(ids[2]);
        // Issued through the W3C VC API: signed at once, its anchoring still pending.
        var issue = await client.PostAsJsonAsync("/credentials/issue", new JsonObject { ["credential"] = Samples.Badge("did:example:vc-api") });
        Assert.Equal(HttpStatusCode.Created, issue.StatusCode);
        var signedAtOnce = (await issue.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!.AsObject();
        var credentials = new Dictionary<string, JsonObject>
        {
            ["valid"] = valid,
            ["revoked"] = revoked,
            ["renamed"] = Renamed(valid),
            ["swapped-signature"] = WithSignatureOf(valid, third),
            ["re-signed"] = ResignedBy(valid, app, other, claimAsIssuer: false),
            ["claimed-by-other"] = ResignedBy(valid, app, other, claimAsIssuer: true),
            ["issued-by-vc-api"] = signedAtOnce,
        };

        // The status list carries the revocation once the chain index has seen it confirmed.
        var answers = await Eventually.GetAsync(() => StandardVerifiersAsync(credentials),
            a => a["revoked"]["core"]!["revoked"] is JsonValue v && v.GetValue<bool>(), "the served status list to show the revocation", TimeSpan.FromSeconds(30));

        var good = answers["valid"];
        Assert.True(good["vc"]!["verified"]!.GetValue<bool>(), good.ToJsonString());
        Assert.True(good["core"]!["signature"]!.GetValue<bool>(), good.ToJsonString());
        Assert.False(good["core"]!["revoked"]!.GetValue<bool>(), good.ToJsonString());
        Assert.False(good["vc"]!["revoked"]!.GetValue<bool>(), good.ToJsonString());
        Assert.True((await app.VerifyAsync(valid))["verified"]!.GetValue<bool>());

        var atOnce = answers["issued-by-vc-api"];
        Assert.True(atOnce["vc"]!["verified"]!.GetValue<bool>(), atOnce.ToJsonString());
        Assert.True(atOnce["core"]!["signature"]!.GetValue<bool>(), atOnce.ToJsonString());
        Assert.False(atOnce["core"]!["revoked"]!.GetValue<bool>(), atOnce.ToJsonString());

        // Revoked: the signature still holds, the status list says revoked, in both libraries.
        var gone = answers["revoked"];
        Assert.True(gone["core"]!["signature"]!.GetValue<bool>(), gone.ToJsonString());
        Assert.True(gone["vc"]!["revoked"]!.GetValue<bool>(), gone.ToJsonString());
        Assert.Equal("revocation", FailedCheckName(await app.VerifyAsync(revoked)));

        // A changed subject name and a signature taken from a sibling: the signature fails in both.
        foreach (var (name, check) in new[] { ("renamed", "digest"), ("swapped-signature", "signature") })
        {
            var answer = answers[name];
            Assert.False(answer["vc"]!["verified"]!.GetValue<bool>(), $"{name}: {answer.ToJsonString()}");
            Assert.False(answer["vc"]!["signature"]!.GetValue<bool>(), $"{name}: {answer.ToJsonString()}");
            Assert.False(answer["core"]!["signature"]!.GetValue<bool>(), $"{name}: {answer.ToJsonString()}");
            Assert.Equal(check, FailedCheckName(await app.VerifyAsync(credentials[name])));
        }

        // Re-signed by another admitted issuer's key, the issuer left as it was: the key is not the
        // issuer's, which both libraries and the registry's verifier refuse.
        var resigned = answers["re-signed"];
        Assert.False(resigned["vc"]!["verified"]!.GetValue<bool>(), resigned.ToJsonString());
        Assert.False(resigned["core"]!["signature"]!.GetValue<bool>(), resigned.ToJsonString());
        // The registry's format check already refuses a signature whose method is not the issuer's did:key.
        Assert.Contains(FailedCheckName(await app.VerifyAsync(credentials["re-signed"])), new[] { "format", "signature" });

        // Claimed by that other issuer (its did:key as issuer, its signature): a credential that issuer
        // signed, so the signature holds everywhere. @digitalbazaar/vc refuses it because the status list
        // it points at is the first issuer's; verifier-core does not compare those issuers (a limit that
        // docs/STANDARDS.md states); the registry's verifier refuses it at digest, since the anchored
        // digest covers the issuer (and the chain binds another key to the account that anchored it).
        var claimed = answers["claimed-by-other"];
        Assert.True(claimed["vc"]!["signature"]!.GetValue<bool>(), claimed.ToJsonString());
        Assert.False(claimed["vc"]!["verified"]!.GetValue<bool>(), claimed.ToJsonString());
        Assert.True(claimed["core"]!["signature"]!.GetValue<bool>(), claimed.ToJsonString());
        Assert.Equal("digest", FailedCheckName(await app.VerifyAsync(credentials["claimed-by-other"])));
    }

    /// <summary>
    /// A credential whose name, description and a claim carry a base direction (<c>@direction</c>): the registry signs the
    /// directions (rdfDirection i18n-datatype, as the eddsa-rdfc-2022 cryptosuite of Digital Bazaar converts), so the standard
    /// verifiers accept what it issued, signed at once and anchored, and refuse a copy whose direction was turned round; the
    /// anchored one also passes jsonld.js in safe mode, ajv and the registry's own verifier.
    /// </summary>
    [Fact]
    public async Task Standard_verifiers_accept_base_directions_the_registry_signed_and_refuse_one_turned_round()
    {
        await using var app = AppServingItsStatusLists();
        var (_, client) = await app.AddIssuerAsync("Bidirectional College");
        var (signedAtOnce, _) = await client.VcApiIssueAsync(Samples.Directed("did:example:at-once"));
        var ids = await app.IssueAndAnchorAsync(client, Samples.Directed("did:example:anchored"), Samples.Badge());
        var anchored = await client.PortableAsync(ids[0]);
        var turned = (JsonObject)signedAtOnce.DeepClone();
        turned["name"]![0]!["@direction"] = "ltr";

        var answers = await StandardVerifiersAsync(new() { ["at-once"] = signedAtOnce, ["anchored"] = anchored, ["turned"] = turned });

        foreach (var name in new[] { "at-once", "anchored" })
        {
            Assert.True(answers[name]["vc"]!["verified"]!.GetValue<bool>(), $"{name}: {answers[name].ToJsonString()}");
            Assert.True(answers[name]["core"]!["signature"]!.GetValue<bool>(), $"{name}: {answers[name].ToJsonString()}");
        }
        Assert.False(answers["turned"]["vc"]!["signature"]!.GetValue<bool>(), answers["turned"].ToJsonString());
        Assert.False(answers["turned"]["core"]!["signature"]!.GetValue<bool>(), answers["turned"].ToJsonString());
        Assert.True((await app.VerifyAsync(anchored))["verified"]!.GetValue<bool>());
        Assert.Equal("signature", await app.VcApiRefusedCheckAsync(turned));

        // jsonld.js in safe mode, ajv and the comparison of the two processors' datasets (the registry's written beside each file).
        var folder = TempFolder.Create();
        foreach (var id in ids)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, $"{id}.json"), (await client.PortableAsync(id)).ToJsonString());
            File.Copy(Path.Combine(IssuedCredentialCheck.Folder, $"{id}.nq"), Path.Combine(folder, $"{id}.nq"));
        }
        var (exitCode, output) = await OtherImplementationsTests.RunStandardToolsAsync(folder);
        Assert.True(exitCode == 0, output);
        Assert.Contains($"ok 2 - issued credential {ids.Order().First()}.json", output);
        Assert.Contains($"ok 3 - issued credential {ids.Order().Last()}.json", output);
    }

    /// <summary>
    /// A VC 1.1 credential issued through <c>POST /credentials/issue</c> (docs/STANDARDS.md, "VC 1.1 credentials"): signed at
    /// once with the Data Integrity context added, it verifies in @digitalbazaar/vc and in the registry's VC API verifier
    /// (anchoring pending); once anchored, its portable form is the same credential with the anchor proof added, and verifies
    /// in @digitalbazaar/vc (status list and all), in <c>POST /verify</c> and with chain evidence; revoked, it is revoked in
    /// both, and a changed subject fails the signature everywhere.
    /// </summary>
    [Fact]
    public async Task A_VC_1_1_credential_issued_through_the_VC_API_is_signed_anchored_verified_and_revocable()
    {
        await using var app = AppServingItsStatusLists();
        var (issuer, client) = await app.AddIssuerAsync("Eleven College");
        var submitted = Samples.Vc11(issuer: issuer.DidKey);
        var (signedAtOnce, storedId) = await client.VcApiIssueAsync(submitted);

        // VC 1.1 kept (first context, issuanceDate), the Data Integrity and status list contexts added, what was sent unchanged.
        var contexts = signedAtOnce["@context"]!.AsArray();
        Assert.Equal("https://www.w3.org/2018/credentials/v1", contexts[0]!.GetValue<string>());
        Assert.Contains(contexts, c => c is JsonValue v && v.GetValue<string>() == "https://w3id.org/security/data-integrity/v2");
        Assert.Contains(contexts, c => c is JsonValue v && v.GetValue<string>() == "https://www.w3.org/ns/credentials/status/v1");
        foreach (var field in new[] { "type", "issuanceDate", "credentialSubject" })
            Assert.True(JsonNode.DeepEquals(submitted[field], signedAtOnce[field]), field);
        Assert.False(signedAtOnce.ContainsKey("validFrom"));
        var proof = signedAtOnce["proof"]!.AsObject();
        Assert.Equal("eddsa-rdfc-2022", proof["cryptosuite"]!.GetValue<string>());

        var (pending, pendingVerdict) = await app.VcApiVerifyAsync(signedAtOnce);
        Assert.True(pending == HttpStatusCode.OK, pendingVerdict.ToJsonString());
        Assert.Equal("pending", pendingVerdict["anchoring"]!.GetValue<string>());

        await client.SealAndAnchorAsync();
        var id = signedAtOnce["id"]!.GetValue<string>();
        var anchored = await client.PortableAsync(storedId);
        // The same body; the proof set is the anchor and the very signature /credentials/issue returned.
        var body = (JsonObject)anchored.DeepClone();
        body.Remove("proof");
        var atOnceBody = (JsonObject)signedAtOnce.DeepClone();
        atOnceBody.Remove("proof");
        Assert.True(JsonNode.DeepEquals(atOnceBody, body), anchored.ToJsonString());
        Assert.True(JsonNode.DeepEquals(proof, anchored.SignatureProof()), anchored.ToJsonString());
        Assert.Equal($"urn:uuid:{storedId}", id);

        var verified = await app.VerifyAsync(anchored);
        Assert.True(verified["verified"]!.GetValue<bool>(), verified.ToJsonString());
        var (chained, chainedVerdict) = await app.VcApiVerifyAsync(anchored);
        Assert.True(chained == HttpStatusCode.OK, chainedVerdict.ToJsonString());
        Assert.Equal("signature-and-chain", chainedVerdict["evidence"]!.GetValue<string>());

        var changed = (JsonObject)anchored.DeepClone();
        changed["credentialSubject"]!["id"] = "did:example:mallory";
        var atOnceChanged = (JsonObject)signedAtOnce.DeepClone();
        atOnceChanged["credentialSubject"]!["id"] = "did:example:mallory";
        var answers = await StandardVerifiersAsync(new() { ["at-once"] = signedAtOnce, ["anchored"] = anchored, ["changed"] = atOnceChanged });
        foreach (var name in new[] { "at-once", "anchored" })
        {
            Assert.True(answers[name]["vc"]!["verified"]!.GetValue<bool>(), $"{name}: {answers[name].ToJsonString()}");
            Assert.False(answers[name]["vc"]!["revoked"]!.GetValue<bool>(), $"{name}: {answers[name].ToJsonString()}");
        }
        Assert.False(answers["changed"]["vc"]!["signature"]!.GetValue<bool>(), answers["changed"].ToJsonString());
        Assert.NotNull(FailedCheckName(await app.VerifyAsync(changed)));
        Assert.Equal("signature", await app.VcApiRefusedCheckAsync(atOnceChanged));

        var revoke = await client.PostAsJsonAsync($"/credentials/{storedId}/revoke", new { reason = "Awarded in error" });
        Assert.Equal(HttpStatusCode.Accepted, revoke.StatusCode);
        var revoked = await Eventually.GetAsync(() => StandardVerifiersAsync(new() { ["anchored"] = anchored }),
            a => a["anchored"]["vc"]!["revoked"] is JsonValue v && v.GetValue<bool>(), "the served status list to show the revocation", TimeSpan.FromSeconds(30));
        Assert.True(revoked["anchored"]["vc"]!["signature"]!.GetValue<bool>(), revoked["anchored"].ToJsonString());
        await Eventually.GetAsync(() => app.VerifyAsync(anchored), v => FailedCheckName(v) == "revocation", "POST /verify to fail revocation", TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// A registry listening on a real port that is also its public URL, so the standard verifiers fetch its status lists from it.
    /// </summary>
    private RegistryApp AppServingItsStatusLists()
    {
        var port = FreePorts.Next();
        var app = new RegistryApp(node.RpcUrl, settings: new Dictionary<string, string> { ["REGISTRY_PUBLIC_URL"] = $"http://127.0.0.1:{port}" });
        app.UseKestrel(port);
        return app;
    }

    private static string? FailedCheckName(JsonObject verdict) => verdict.FailedCheck()?["name"]?.GetValue<string>();

    private static JsonObject Renamed(JsonObject credential)
    {
        var copy = (JsonObject)credential.DeepClone();
        copy["credentialSubject"]!["name"] = "Mallory";
        return copy;
    }

    private static JsonObject WithSignatureOf(JsonObject credential, JsonObject sibling)
    {
        var copy = (JsonObject)credential.DeepClone();
        copy.SignatureProof()["proofValue"] = sibling.SignatureProof()["proofValue"]!.GetValue<string>();
        return copy;
    }

    /// <summary>The credential signed again with another issuer's key; with <paramref name="claimAsIssuer"/>, that issuer's did:key is made the issuer too.</summary>
    private static JsonObject ResignedBy(JsonObject credential, RegistryApp app, CreatedIssuer other, bool claimAsIssuer)
    {
        var copy = (JsonObject)credential.DeepClone();
        if (claimAsIssuer) copy["issuer"]!["id"] = other.DidKey;
        return copy.Resigned(app.SigningKeyOf(other));
    }

    /// <summary>Runs both standard verifiers on each credential; the answers by name.</summary>
    private static async Task<Dictionary<string, JsonObject>> StandardVerifiersAsync(Dictionary<string, JsonObject> credentials)
    {
        var folder = TempFolder.Create();
        foreach (var (name, credential) in credentials)
            await File.WriteAllTextAsync(Path.Combine(folder, name + ".json"), credential.ToJsonString());
        var (exitCode, output) = await ProgramRunner.RunAsync("node",
            [Path.Combine(RepositoryRoot.Path, "tests", "interop", "standard-verifiers.mjs"), .. credentials.Keys.Select(name => Path.Combine(folder, name + ".json"))]);
        Assert.True(exitCode == 0, output);
        var answers = new Dictionary<string, JsonObject>();
        foreach (var line in output.Split('\n').Where(l => l.StartsWith("{\"file\"", StringComparison.Ordinal)))
        {
            var answer = JsonNode.Parse(line)!.AsObject();
            answers[Path.GetFileNameWithoutExtension(answer["file"]!.GetValue<string>())] = answer;
        }
        Assert.Equal(credentials.Count, answers.Count);
        return answers;
    }
}
