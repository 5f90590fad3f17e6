using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Api;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Stacks;

/// <summary>
/// <c>POST /qualifications/{id}/awards</c>: a learner's micro-credentials from two issuers add up to
/// "any 3 of 5"; the award is issued, anchored and verified like any credential, its evidence references
/// each component, and the <c>components</c> check answers for them today. Each reason a component cannot
/// count is refused with the component named.
/// </summary>
[Collection(StackCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class AwardTests(StackFixture stack)
{
    public static JsonObject Award(string subject, params JsonObject[] components) => new()
    {
        ["subject"] = subject,
        ["components"] = new JsonArray(components.Select(c => (JsonNode)c.DeepClone()).ToArray()),
    };

    private async Task<JsonObject> RefusedAsync(string qualification, JsonObject award) =>
        await ProblemTests.ExpectValidationAsync(await stack.University.Client.PostAsJsonAsync($"/qualifications/{qualification}/awards", award));

    private static JsonObject Check(JsonObject verdict, string name) =>
        verdict["checks"]!.AsArray().Select(c => c!.AsObject()).Single(c => c["name"]!.GetValue<string>() == name);

    [Fact]
    public async Task Four_micro_credentials_from_two_issuers_are_awarded_any_three_of_five_and_the_award_verifies_through_its_components()
    {
        var qualification = await stack.DefineAnyThreeOfFiveAsync();
        var (id, portable) = await stack.AwardAndAnchorAsync(qualification, [.. stack.Components]);

        Assert.Equal("Certificate in Smart Contract Engineering", portable["credentialSubject"]!["achievement"]!["name"]!.GetValue<string>());
        Assert.EndsWith($"/qualifications/{qualification}", portable["credentialSubject"]!["achievement"]!["id"]!.GetValue<string>());
        Assert.Equal(StackFixture.Learner, portable["credentialSubject"]!["id"]!.GetValue<string>());
        Assert.Equal(stack.University.Issuer.DidKey, portable["issuer"]!["id"]!.GetValue<string>());
        var evidence = portable["evidence"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(4, evidence.Count);
        for (var i = 0; i < 4; i++)
        {
            var component = stack.Components[i];
            var anchor = component.AnchorProof();
            Assert.Equal(["Evidence", "ComponentCredential2026"], evidence[i]["type"]!.AsArray().Select(t => t!.GetValue<string>()));
            Assert.Equal(component["id"]!.GetValue<string>(), evidence[i]["id"]!.GetValue<string>());
            Assert.Equal(component["issuer"]!["id"]!.GetValue<string>(), evidence[i]["issuer"]!.GetValue<string>());
            Assert.Equal(anchor["digest"]!.GetValue<string>(), evidence[i]["digest"]!.GetValue<string>());
            Assert.Equal(anchor["merkleRoot"]!.GetValue<string>(), evidence[i]["merkleRoot"]!.GetValue<string>());
            Assert.Equal(anchor["anchor"]!["chainId"]!.GetValue<long>(), evidence[i]["chainId"]!.GetValue<long>());
            Assert.Equal(anchor["anchor"]!["registry"]!.GetValue<string>(), evidence[i]["registry"]!.GetValue<string>());
            Assert.Equal(anchor["verificationMethod"]!.GetValue<string>().Split('#')[0], evidence[i]["anchoredBy"]!.GetValue<string>());
        }
        Assert.Equal([stack.University.Issuer.DidKey, stack.University.Issuer.DidKey, stack.Training.Issuer.DidKey, stack.Training.Issuer.DidKey],
            evidence.Select(e => e["issuer"]!.GetValue<string>()));

        var verdict = await stack.App.VerifyAsync(portable);
        Assert.True(verdict["verified"]!.GetValue<bool>(), verdict.ToJsonString());
        Assert.Equal("passed", Check(verdict, "components")["status"]!.GetValue<string>());
        Assert.Contains("All 4 components", Check(verdict, "components")["message"]!.GetValue<string>());
        Assert.Equal("anchored", (await stack.University.Client.GetFromJsonAsync<JsonObject>($"/credentials/{id}"))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_component_revoked_after_the_award_fails_the_qualification_at_components_naming_it()
    {
        var qualification = await stack.DefineAnyThreeOfFiveAsync();
        var learner = await stack.App.IssueAndAnchorAsync(stack.Training.Client,
            StackFixture.Course(StackFixture.Learner, 3, "Gas Optimisation (resit)"), StackFixture.Course(StackFixture.Learner, 4, "Auditing (resit)"));
        var resits = new[] { await stack.Training.Client.PortableAsync(learner[0]), await stack.Training.Client.PortableAsync(learner[1]) };
        var (award, portable) = await stack.AwardAndAnchorAsync(qualification, stack.Components[0], resits[0], resits[1]);
        Assert.True((await stack.App.VerifyAsync(portable))["verified"]!.GetValue<bool>());

        // Auditors see what the award rests on, and what rests on the component about to be revoked.
        var auditor = await stack.App.CreateAuditorAsync();
        var audit = (await auditor.GetFromJsonAsync<JsonObject>($"/audit/credentials/{award}"))!;
        Assert.Equal(qualification, audit["qualificationId"]!.GetValue<string>());
        Assert.Equal([stack.Components[0]["id"]!.GetValue<string>(), resits[0]["id"]!.GetValue<string>(), resits[1]["id"]!.GetValue<string>()],
            audit["components"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
        var dependants = (await auditor.GetFromJsonAsync<JsonArray>($"/audit/credentials/{learner[1]}/dependants"))!;
        Assert.Equal([award], dependants.Select(d => d!["id"]!.GetValue<string>()));
        Assert.Equal("Certificate in Smart Contract Engineering", dependants[0]!["qualification"]!.GetValue<string>());
        Assert.Equal(StackFixture.Learner, dependants[0]!["subject"]!.GetValue<string>());
        Assert.Equal([award], (await auditor.GetFromJsonAsync<JsonObject>($"/audit/credentials/{learner[1]}"))!["dependants"]!.AsArray()
            .Select(d => d!["id"]!.GetValue<string>()));
        Assert.Empty((await auditor.GetFromJsonAsync<JsonArray>($"/audit/credentials/{award}/dependants"))!);
        Assert.Equal(HttpStatusCode.Forbidden, (await stack.Training.Client.GetAsync($"/audit/credentials/{learner[1]}/dependants")).StatusCode);
        await ProblemTests.ExpectProblemAsync(await auditor.GetAsync($"/audit/credentials/{Guid.NewGuid()}/dependants"), HttpStatusCode.NotFound);

        var revoked = await stack.Training.Client.PostAsJsonAsync($"/credentials/{learner[1]}/revoke", new { reason = "Exam misconduct" });
        Assert.Equal(HttpStatusCode.Accepted, revoked.StatusCode);
        // The revoke answer names whom it affects.
        var answer = (await revoked.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal([award], answer["dependants"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
        Assert.Equal(qualification, answer["dependants"]![0]!["qualificationId"]!.GetValue<string>());

        // The award's own batch and signature still hold; the verdict is for today, and today a component is revoked.
        var verdict = await stack.App.VerifyAsync(portable);
        Assert.False(verdict["verified"]!.GetValue<bool>());
        var failed = verdict.FailedCheck()!;
        Assert.Equal("components", failed["name"]!.GetValue<string>());
        Assert.Contains($"'Auditing (resit)' ({resits[1]["id"]!.GetValue<string>()}) was revoked", failed["message"]!.GetValue<string>());
        Assert.DoesNotContain("Gas Optimisation", failed["message"]!.GetValue<string>());
        Assert.Equal("passed", Check(verdict, "revocation")["status"]!.GetValue<string>());
        Assert.Equal("passed", Check(verdict, "validity")["status"]!.GetValue<string>());
        Assert.Equal("components", verdict["checks"]!.AsArray()[^1]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tampered_foreign_untrusted_and_unmatched_components_are_each_refused_with_the_reason_and_too_few_is_named()
    {
        var qualification = await stack.DefineAnyThreeOfFiveAsync();
        var tampered = (JsonObject)stack.Components[1].DeepClone();
        tampered["credentialSubject"]!["achievement"]!["name"] = "Testing Smart Contracts with Distinction";
        // A registry of its own, with a contract of its own on the same chain, which the stack's registry does not trust.
        JsonObject untrusted;
        await using (var elsewhere = await RegistryApp.StartWithIssuerAsync(stack.Node.RpcUrl, "Registry Elsewhere Academy"))
        {
            var ids = await elsewhere.App.IssueAndAnchorAsync(elsewhere.Client, StackFixture.Course(StackFixture.Learner, 3, "Gas Optimisation"));
            untrusted = await elsewhere.Client.PortableAsync(ids[0]);
        }

        var errors = await RefusedAsync(qualification,
            Award(StackFixture.Learner, stack.Components[0], tampered, stack.OtherLearnersComponent, untrusted, stack.Components[3]));

        Assert.Equal(["/components", "/components/1", "/components/2", "/components/3"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.StartsWith("tampered: it fails the digest check", errors["/components/1"]![0]!.GetValue<string>());
        Assert.StartsWith("of another subject", errors["/components/2"]![0]!.GetValue<string>());
        Assert.StartsWith("from a registry this one does not trust", errors["/components/3"]![0]!.GetValue<string>());
        Assert.StartsWith("too few: 2 of the qualification's 5 requirements", errors["/components"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_component_meeting_no_requirement_or_one_met_already_and_a_repeated_one_are_refused()
    {
        // Gas optimisation counts only from the university, which never taught it.
        var response = await stack.University.Client.PostAsJsonAsync("/qualifications", new JsonObject
        {
            ["name"] = "University Certificate", ["description"] = "Two university courses.", ["criteria"] = new JsonObject { ["narrative"] = "Hold both." },
            ["requires"] = new JsonArray(
                new JsonObject { ["achievement"] = StackFixture.Achievements[0] },
                new JsonObject { ["achievement"] = StackFixture.Achievements[3], ["issuer"] = stack.University.Issuer.Did }),
        });
        var qualification = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var unmatched = await RefusedAsync(qualification, Award(StackFixture.Learner, stack.Components[0], stack.Components[2]));
        Assert.StartsWith("requirement not met", unmatched["/components/1"]![0]!.GetValue<string>());
        Assert.Contains(stack.Training.Issuer.DidKey, unmatched["/components/1"]![0]!.GetValue<string>());
        Assert.StartsWith("too few: 1 of", unmatched["/components"]![0]!.GetValue<string>());

        var secondSolidity = await stack.App.IssueAndAnchorAsync(stack.Training.Client, StackFixture.Course(StackFixture.Learner, 0, "Solidity elsewhere"));
        var metAlready = await RefusedAsync(qualification,
            Award(StackFixture.Learner, stack.Components[0], await stack.Training.Client.PortableAsync(secondSolidity[0])));
        Assert.StartsWith("requirement met already", metAlready["/components/1"]![0]!.GetValue<string>());

        var repeated = await RefusedAsync(qualification, Award(StackFixture.Learner, stack.Components[0], stack.Components[0]));
        Assert.Equal("repeated: it is component 0 again.", repeated["/components/1"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_revoked_component_and_one_from_an_issuer_removed_as_compromised_are_refused()
    {
        var qualification = await stack.DefineAnyThreeOfFiveAsync();
        var revokedIds = await stack.App.IssueAndAnchorAsync(stack.University.Client, StackFixture.Course(StackFixture.Learner, 2, "Security"));
        Assert.Equal(HttpStatusCode.Accepted,
            (await stack.University.Client.PostAsJsonAsync($"/credentials/{revokedIds[0]}/revoke", new { reason = "Plagiarism" })).StatusCode);
        var revoked = await stack.University.Client.PortableAsync(revokedIds[0]);

        var (rogue, rogueClient) = await stack.App.AddIssuerAsync("Compromised Academy");
        var (rogueIds, rogueBatch) = await rogueClient.IssueAndSealAsync(StackFixture.Course(StackFixture.Learner, 4, "Auditing, bought"));
        var anchored = await RegistryApp.WaitForBatchAsync(rogueClient, rogueBatch, "anchored");
        var voided = await rogueClient.PortableAsync(rogueIds[0]);
        var removal = await stack.App.Admin().PostAsJsonAsync($"/issuers/{rogue.Id}/remove",
            new { compromisedSince = anchored["anchoredAt"]!.GetValue<DateTimeOffset>() });
        Assert.Equal(HttpStatusCode.OK, removal.StatusCode);

        var errors = await RefusedAsync(qualification, Award(StackFixture.Learner, stack.Components[0], revoked, voided, stack.Components[1]));
        Assert.StartsWith("revoked: it fails the revocation check", errors["/components/1"]![0]!.GetValue<string>());
        Assert.Contains("Plagiarism", errors["/components/1"]![0]!.GetValue<string>());
        Assert.StartsWith("voided or untrusted", errors["/components/2"]![0]!.GetValue<string>());
        Assert.Contains("void", errors["/components/2"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_requests_another_issuer_s_qualification_and_an_unknown_one_are_refused_and_store_nothing()
    {
        var qualification = await stack.DefineAnyThreeOfFiveAsync();
        var path = $"/qualifications/{qualification}/awards";
        var notPortable = PortableCredentialWithout(stack.Components[0], "proof");

        var errors = await RefusedAsync(qualification, Award("not a uri", notPortable, stack.Components[1]));
        Assert.Equal(["/components/0", "/subject"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.StartsWith("not a portable credential", errors["/components/0"]![0]!.GetValue<string>());
        await ProblemTests.ExpectValidationAsync(await stack.University.Client.PostAsJsonAsync(path, new JsonObject { ["subject"] = StackFixture.Learner, ["components"] = new JsonArray() }));
        await ProblemTests.ExpectValidationAsync(await ProblemTests.PostRawAsync(stack.University.Client, path, "[]"));
        var tooMany = new JsonArray(Enumerable.Range(0, 101).Select(_ => (JsonNode)new JsonObject()).ToArray());
        await ProblemTests.ExpectValidationAsync(await stack.University.Client.PostAsJsonAsync(path, new JsonObject { ["subject"] = StackFixture.Learner, ["components"] = tooMany }));

        var forbidden = await ProblemTests.ExpectProblemAsync(
            await stack.Training.Client.PostAsJsonAsync(path, Award(StackFixture.Learner, [.. stack.Components])), HttpStatusCode.Forbidden);
        Assert.Contains("Only the issuer that defined", forbidden["detail"]!.GetValue<string>());
        await ProblemTests.ExpectProblemAsync(
            await stack.University.Client.PostAsJsonAsync($"/qualifications/{Guid.NewGuid()}/awards", Award(StackFixture.Learner, [.. stack.Components])), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.App.CreateClient().PostAsJsonAsync(path, Award(StackFixture.Learner, [.. stack.Components]))).StatusCode);

        // Nothing of the refused awards waits for a batch.
        Assert.Equal(HttpStatusCode.Conflict, (await stack.University.Client.PostAsync("/batches", null)).StatusCode);
    }

    private static JsonObject PortableCredentialWithout(JsonObject portable, string field)
    {
        var copy = (JsonObject)portable.DeepClone();
        copy.Remove(field);
        return copy;
    }
}
