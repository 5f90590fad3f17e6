using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Api.Reference;
using Registry.Tests.Api;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Stacks;

/// <summary><c>POST /qualifications</c> by an issuer, and the public <c>GET /qualifications</c> and <c>GET /qualifications/{id}</c>.</summary>
[Collection(StackCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class QualificationDefinitionTests(StackFixture stack)
{
    [Fact]
    public async Task An_issuer_defines_a_qualification_that_anyone_can_read_and_find_in_the_list()
    {
        var response = await stack.University.Client.PostAsJsonAsync("/qualifications", QualificationExamples.Definition());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = created["id"]!.GetValue<string>();
        Assert.Equal($"/qualifications/{id}", response.Headers.Location!.OriginalString);

        var anyone = stack.App.CreateClient();
        var read = (await anyone.GetFromJsonAsync<JsonObject>($"/qualifications/{id}"))!;
        Assert.Equal("Certificate in Smart Contract Engineering", read["name"]!.GetValue<string>());
        Assert.Equal(3, read["minimum"]!.GetValue<int>());
        Assert.Equal(StackFixture.Achievements, read["requires"]!.AsArray().Select(r => r!["achievement"]!.GetValue<string>()));
        Assert.All(read["requires"]!.AsArray(), r => Assert.Null(r!["issuer"]));
        Assert.Equal(stack.University.Issuer.Id, read["issuer"]!["id"]!.GetValue<string>());
        Assert.Equal(stack.University.Issuer.DidKey, read["issuer"]!["didKey"]!.GetValue<string>());
        Assert.Equal("University of Stacking", read["issuer"]!["name"]!.GetValue<string>());
        Assert.EndsWith($"/qualifications/{id}", read["achievement"]!.GetValue<string>());

        var list = (await anyone.GetFromJsonAsync<JsonArray>("/qualifications"))!;
        Assert.Contains(list, q => q!["id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task Minimum_defaults_to_every_requirement_and_an_issuer_may_be_named_by_either_DID()
    {
        var response = await stack.University.Client.PostAsJsonAsync("/qualifications", new JsonObject
        {
            ["name"] = "Diploma in Auditing",
            ["description"] = "Both courses of the training provider.",
            ["criteria"] = new JsonObject { ["narrative"] = "Hold both." },
            ["requires"] = new JsonArray(
                new JsonObject { ["achievement"] = StackFixture.Achievements[3], ["issuer"] = stack.Training.Issuer.DidKey },
                new JsonObject { ["achievement"] = StackFixture.Achievements[4], ["issuer"] = stack.Training.Issuer.Did }),
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2, created["minimum"]!.GetValue<int>());
        Assert.Equal(stack.Training.Issuer.DidKey, created["requires"]![0]!["issuer"]!.GetValue<string>());
        Assert.Equal(stack.Training.Issuer.Did, created["requires"]![1]!["issuer"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_bad_field_is_named_by_its_JSON_pointer_and_nothing_is_stored()
    {
        var before = (await stack.App.CreateClient().GetFromJsonAsync<JsonArray>("/qualifications"))!.Count;
        var body = new JsonObject
        {
            ["name"] = "",
            ["criteria"] = new JsonObject { ["narrative"] = "ok", ["rubric"] = "no" },
            ["requires"] = new JsonArray(
                new JsonObject { ["achievement"] = "not a uri" },
                new JsonObject { ["achievement"] = StackFixture.Achievements[1], ["issuer"] = "did:example:someone" },
                new JsonObject { ["achievement"] = StackFixture.Achievements[2] },
                new JsonObject { ["achievement"] = StackFixture.Achievements[2] },
                "solidity"),
            ["minimum"] = 9,
            ["colour"] = "blue",
        };
        var errors = await ProblemTests.ExpectValidationAsync(await stack.University.Client.PostAsJsonAsync("/qualifications", body));

        Assert.Equal(
            ["/colour", "/criteria/rubric", "/description", "/minimum", "/name", "/requires/0/achievement", "/requires/1/issuer", "/requires/3", "/requires/4"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("repeats requirement 2", errors["/requires/3"]![0]!.GetValue<string>());
        Assert.Contains("from 1 to 5", errors["/minimum"]![0]!.GetValue<string>());
        Assert.Equal(before, (await stack.App.CreateClient().GetFromJsonAsync<JsonArray>("/qualifications"))!.Count);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"name\": \"x\", \"description\": \"y\", \"criteria\": {\"narrative\": \"z\"}, \"requires\": []}")]
    [InlineData("{\"name\": \"x\", \"description\": \"y\", \"criteria\": {\"narrative\": \"z\"}, \"requires\": [{\"achievement\": \"urn:a\"}], \"minimum\": 1.5}")]
    [InlineData("{\"name\": \"x\", \"description\": \"y\", \"criteria\": {\"narrative\": \"z\"}, \"requires\": [{\"achievement\": \"urn:a\"}], \"minimum\": 0}")]
    public async Task A_body_that_is_no_qualification_is_a_400(string body) =>
        await ProblemTests.ExpectProblemAsync(await ProblemTests.PostRawAsync(stack.University.Client, "/qualifications", body), HttpStatusCode.BadRequest);

    [Fact]
    public async Task A_qualification_may_require_an_existing_qualification_but_not_one_that_does_not_exist()
    {
        var first = (await stack.App.CreateClient().GetFromJsonAsync<JsonObject>($"/qualifications/{await stack.DefineAnyThreeOfFiveAsync()}"))!;
        var achievement = first["achievement"]!.GetValue<string>();
        JsonObject Requiring(string required) => new()
        {
            ["name"] = "Master Certificate", ["description"] = "The certificate and the auditing course.",
            ["criteria"] = new JsonObject { ["narrative"] = "Hold both." },
            ["requires"] = new JsonArray(new JsonObject { ["achievement"] = required }, new JsonObject { ["achievement"] = StackFixture.Achievements[4] }),
        };

        Assert.Equal(HttpStatusCode.Created, (await stack.University.Client.PostAsJsonAsync("/qualifications", Requiring(achievement))).StatusCode);
        // An id not yet given: so no qualification can require itself, and none can form a cycle.
        var unknown = achievement[..^36] + Guid.NewGuid();
        var errors = await ProblemTests.ExpectValidationAsync(await stack.University.Client.PostAsJsonAsync("/qualifications", Requiring(unknown)));
        Assert.Contains("does not exist", errors["/requires/0/achievement"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_an_issuer_defines_and_an_unknown_or_malformed_id_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.App.CreateClient().PostAsJsonAsync("/qualifications", QualificationExamples.Definition())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stack.App.Admin().PostAsJsonAsync("/qualifications", QualificationExamples.Definition())).StatusCode);
        await ProblemTests.ExpectProblemAsync(await stack.App.CreateClient().GetAsync($"/qualifications/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await ProblemTests.ExpectProblemAsync(await stack.App.CreateClient().GetAsync("/qualifications/NOT-A-GUID"), HttpStatusCode.BadRequest);
    }
}
