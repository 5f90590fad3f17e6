using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Identity;
using Registry.Tests.Api;
using Registry.Tests.Cli;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Credentials;

/// <summary>
/// What the registry adds so that standard tools can read its credentials: its JSON-LD context, the
/// status entry, the issuer's profile, schema validation with JSON Pointers, and checksum-case identities.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class StandardCredentialTests(SharedRegistry registry)
{
    private HttpClient Issuer => registry.IssuerClient;

    [Fact]
    public void The_issued_credential_carries_the_registry_context_status_and_profile()
    {
        var portable = registry.CopyOfPortable();

        var contexts = portable["@context"]!.AsArray();
        Assert.Equal(3, contexts.Count);
        Assert.True(JsonNode.DeepEquals(RegistryContext.Create(), contexts[2]));

        var entries = portable["credentialStatus"]!.AsArray();
        Assert.Equal(2, entries.Count);
        var list = entries[0]!.AsObject();
        Assert.Equal(StatusListEntry.EntryType, list["type"]!.GetValue<string>());
        Assert.Equal("revocation", list["statusPurpose"]!.GetValue<string>());
        var listUrl = $"http://127.0.0.1:5080/status/{registry.Issuer.Id}/0";
        Assert.Equal(listUrl, list["statusListCredential"]!.GetValue<string>());
        Assert.Equal($"{listUrl}#{list["statusListIndex"]!.GetValue<string>()}", list["id"]!.GetValue<string>());
        var status = entries[1]!.AsObject();
        Assert.Equal(CredentialStatusEntry.StatusType, status["type"]!.GetValue<string>());
        Assert.Equal(31337, status["chainId"]!.GetValue<long>());
        Assert.Equal(registry.Contract, status["registry"]!.GetValue<string>());
        Assert.Equal(registry.Issuer.Did, status["issuer"]!.GetValue<string>());

        var issuer = portable["issuer"]!.AsObject();
        Assert.Equal(registry.Issuer.DidKey, issuer["id"]!.GetValue<string>());
        Assert.Equal(["Profile"], issuer["type"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("https://example.edu", issuer["url"]!.GetValue<string>());
        Assert.Equal("Open University of Testing", issuer["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_submitted_status_list_entry_is_refused_saying_why_as_the_registry_writes_its_own()
    {
        var badge = Samples.Badge();
        badge["credentialStatus"] = new JsonObject
        {
            ["id"] = "https://example.edu/status/1#42", ["type"] = "BitstringStatusListEntry", ["statusPurpose"] = "revocation",
            ["statusListIndex"] = "42", ["statusListCredential"] = "https://example.edu/status/1",
        };
        var errors = await ProblemTests.ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", badge));
        var message = Assert.Single(errors["/credentialStatus/type"]!.AsArray())!.GetValue<string>();
        Assert.Contains(CredentialStatusEntry.StatusType, message);
        Assert.Contains("revoke", message);

        var bulkErrors = await ProblemTests.ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials/bulk", new JsonArray(Samples.Badge(), badge)));
        Assert.Equal(["/1/credentialStatus/type"], bulkErrors.Select(e => e.Key));
    }

    [Fact]
    public async Task A_context_that_redefines_the_registry_terms_is_refused_and_an_exact_copy_is_kept_once()
    {
        var conflicting = Samples.Badge();
        var redefined = RegistryContext.Create();
        redefined[AnchorProof.ProofType]!["@id"] = "https://attacker.example/ns#Anchor";
        conflicting["@context"]!.AsArray().Add(redefined);
        var errors = await ProblemTests.ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", conflicting));
        Assert.Contains(AnchorProof.ProofType, errors["/@context/2"]![0]!.GetValue<string>());

        var status = Samples.Badge();
        status["@context"]!.AsArray().Add(new JsonObject { [CredentialStatusEntry.StatusType] = "https://attacker.example/ns#Status" });
        Assert.True((await ProblemTests.ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", status))).ContainsKey("/@context/2"));

        var copy = Samples.Badge("did:example:copy");
        copy["@context"]!.AsArray().Add(RegistryContext.Create());
        var ids = await registry.App.IssueAndAnchorAsync(Issuer, copy);
        var portable = await Issuer.PortableAsync(ids[0]);
        Assert.Single(portable["@context"]!.AsArray(), RegistryContext.IsRegistryContext);
        Assert.True((await registry.App.VerifyAsync(portable))["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Schema_failures_at_submission_name_each_field_as_a_json_pointer()
    {
        var badge = Samples.AwkwardBadge();
        badge["evidence"]![1]!.AsObject().Remove("type");
        badge["credentialSubject"]!["result"]![0]!["status"] = "Nearly";
        badge["credentialSubject"]!["achievement"]!["image"]!.AsObject().Remove("id");
        badge["credentialSubject"]!["creditsEarned"] = -1;

        var errors = await ProblemTests.ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", badge));

        foreach (var pointer in new[] { "/evidence/1", "/credentialSubject/result/0/status", "/credentialSubject/achievement/image", "/credentialSubject/creditsEarned" })
        {
            Assert.True(errors.ContainsKey(pointer), $"{pointer} not in {errors.ToJsonString()}");
            Assert.Contains("Open Badges 3.0 AchievementCredential schema", errors[pointer]!.ToJsonString());
        }
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public async Task The_awkward_badge_is_issued_and_verifies()
    {
        var ids = await registry.App.IssueAndAnchorAsync(Issuer, Samples.AwkwardBadge());
        var portable = await Issuer.PortableAsync(ids[0]);
        Assert.Equal(2.5, portable["credentialSubject"]!["creditsEarned"]!.GetValue<double>());
        Assert.True((await registry.App.VerifyAsync(portable))["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_checksum_case_account_is_accepted_in_verification_and_refused_as_a_submitted_issuer()
    {
        var did = IssuerDid.For(31337, registry.Issuer.Address);
        var checksummed = $"{IssuerDid.Prefix}31337:{IssuerDid.ToChecksumAddress(did.Address)}";
        Assert.NotEqual(did.ToString(), checksummed);

        // The credential's issuer is the did:key; the account, in any case, names something else.
        var badge = Samples.Badge("did:example:checksum");
        badge["issuer"] = checksummed;
        var refused = await ProblemTests.ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", badge));
        Assert.True(refused.ContainsKey("/issuer"));

        var portable = registry.CopyOfPortable();
        // The proof's account and registry in checksum case name the same accounts.
        portable.AnchorProof()["verificationMethod"] = checksummed + IssuerDid.VerificationMethodFragment;
        portable.AnchorProof()["anchor"]!["registry"] = IssuerDid.ToChecksumAddress(registry.Contract);
        var verdict = await registry.App.VerifyAsync(portable);
        Assert.True(verdict["verified"]!.GetValue<bool>(), verdict.ToJsonString());

        // A mixed case that is not the checksum is a mistyped address.
        var letter = checksummed.LastIndexOfAny("abcdefABCDEF".ToCharArray());
        var flipped = char.IsUpper(checksummed[letter]) ? char.ToLowerInvariant(checksummed[letter]) : char.ToUpperInvariant(checksummed[letter]);
        portable.AnchorProof()["verificationMethod"] = checksummed[..letter] + flipped + checksummed[(letter + 1)..] + IssuerDid.VerificationMethodFragment;
        var mistyped = await registry.App.VerifyAsync(portable);
        Assert.Equal("format", mistyped.FailedCheck()!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_submission_naming_another_issuer_in_checksum_case_is_still_refused()
    {
        var badge = Samples.Badge();
        badge["issuer"] = $"{IssuerDid.Prefix}31337:{IssuerDid.ToChecksumAddress("0x" + new string('a', 40))}";
        var errors = await ProblemTests.ExpectValidationAsync(await Issuer.PostAsJsonAsync("/credentials", badge));
        Assert.True(errors.ContainsKey("/issuer"));
    }

    [Fact]
    public async Task The_cli_and_registry_trusted_accept_a_checksum_case_contract()
    {
        var file = Path.Combine(TempFolder.Create(), "c.json");
        await File.WriteAllTextAsync(file, registry.Portable.ToJsonString());
        var checksummed = IssuerDid.ToChecksumAddress(registry.Contract);

        var result = await CliTests.RunAsync("verify", file, "--rpc", registry.Node.RpcUrl.ToString(), "--registry", checksummed);
        Assert.True(result.ExitCode == 0, result.Output);

        await using var other = new RegistryApp(registry.Node.RpcUrl, settings: new Dictionary<string, string>
        {
            ["REGISTRY_TRUSTED"] = $"31337:{checksummed}={registry.Node.RpcUrl}",
        });
        var verdict = await other.VerifyAsync(registry.CopyOfPortable());
        Assert.True(verdict["verified"]!.GetValue<bool>(), verdict.ToJsonString());
    }

    [Fact]
    public async Task The_issuer_description_goes_into_the_profile_and_bad_urls_and_descriptions_are_refused()
    {
        var admin = registry.App.Admin();
        var created = await admin.PostAsJsonAsync("/issuers", new { name = "Describing College", url = "https://college.example/ü%20x", description = "A college of welding — Schweißen." });
        var problem = await ProblemTests.ExpectProblemAsync(created, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("/url"));

        foreach (var (url, description, field) in new[]
        {
            ("/relative", (string?)null, "/url"), ("mailto:x@example.edu", null, "/url"), ("https://example.edu/" + new string('a', 2100), null, "/url"),
            ("https://example.edu", "", "/description"), ("https://example.edu", new string('d', 2001), "/description"),
        })
        {
            var refused = await ProblemTests.ExpectProblemAsync(await admin.PostAsJsonAsync("/issuers", new { name = "Refused", url, description }), HttpStatusCode.BadRequest);
            Assert.True(refused["errors"]!.AsObject().ContainsKey(field), refused.ToJsonString());
        }

        var response = await admin.PostAsJsonAsync("/issuers", new { name = "Describing College", url = "https://college.example/welding?lang=de", description = "A college of welding — Schweißen." });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issuer = (await response.Content.ReadFromJsonAsync<CreatedIssuer>(Infrastructure.Json.Web))!;
        var profile = (await registry.App.CreateClient().GetFromJsonAsync<JsonObject>($"/issuers/{issuer.Id}"))!;
        Assert.Equal("A college of welding — Schweißen.", profile["description"]!.GetValue<string>());

        var client = registry.App.ClientWithKey(issuer.ApiKey);
        var ids = await registry.App.IssueAndAnchorAsync(client, Samples.Badge("did:example:welder"));
        var written = (await client.PortableAsync(ids[0]))["issuer"]!.AsObject();
        Assert.Equal("https://college.example/welding?lang=de", written["url"]!.GetValue<string>());
        Assert.Equal("A college of welding — Schweißen.", written["description"]!.GetValue<string>());
        Assert.Equal(["description", "id", "name", "type", "url"], written.Select(p => p.Key).Order());
    }
}
