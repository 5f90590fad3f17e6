using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Stacks;

/// <summary>
/// <c>POST /verify</c> with a portfolio that holds a qualification and its components: each component file
/// that hashes to the digest the qualification's evidence holds is nested under it; one with the component's
/// id but another digest is named as not matching and left at the top; one left out is named as not in the
/// portfolio, and the qualification's own <c>components</c> check still answers for it from the chain.
/// </summary>
[Collection(StackCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class StackPortfolioTests(StackFixture stack)
{
    private static JsonObject Presentation(params JsonObject[] credentials) => Registry.Portfolio.Presentation.Compose(credentials).Presentation!;

    private async Task<JsonObject> VerifyAsync(JsonObject presentation)
    {
        var response = await stack.App.CreateClient().PostAsJsonAsync("/verify", presentation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static List<JsonObject> Items(JsonNode? array) => [.. array!.AsArray().Select(c => c!.AsObject())];

    private static string Id(JsonObject credential) => credential["id"]!.GetValue<string>();

    [Fact]
    public async Task A_qualification_and_its_components_in_one_portfolio_come_back_as_a_tree_each_component_matched_by_digest()
    {
        var qualification = await stack.DefineAnyThreeOfFiveAsync();
        var (_, award) = await stack.AwardAndAnchorAsync(qualification, stack.Components[0], stack.Components[1], stack.Components[3]);
        // The components first and in another order: the tree follows the evidence, not the files.
        var answer = await VerifyAsync(Presentation(stack.Components[3], stack.Components[0], award, stack.Components[1]));

        Assert.True(answer["verified"]!.GetValue<bool>(), answer.ToJsonString());
        Assert.Equal(4, answer["count"]!.GetValue<int>());
        var entries = Items(answer["credentials"]);
        Assert.Equal([1, 2, 3, 4], entries.Select(e => e["index"]!.GetValue<int>()));
        var qualificationEntry = entries[2];
        Assert.Empty(qualificationEntry["componentOf"]!.AsArray());
        var components = Items(qualificationEntry["components"]);
        Assert.Equal(["matched", "matched", "matched"], components.Select(c => c["match"]!.GetValue<string>()));
        Assert.Equal([2, 4, 1], components.Select(c => c["index"]!.GetValue<int>()));
        Assert.Equal([Id(stack.Components[0]), Id(stack.Components[1]), Id(stack.Components[3])], components.Select(c => c["id"]!.GetValue<string>()));
        Assert.Equal(
            [stack.Components[0].AnchorProof()["digest"]!.GetValue<string>(), stack.Components[1].AnchorProof()["digest"]!.GetValue<string>(),
                stack.Components[3].AnchorProof()["digest"]!.GetValue<string>()],
            components.Select(c => c["digest"]!.GetValue<string>()));
        // Each nested credential is the file's own entry, with its verdict, title and the chain's name for its issuer.
        var nested = components.Select(c => c["credential"]!.AsObject()).ToList();
        Assert.Equal(["Introduction to Solidity", "Testing Smart Contracts", "Auditing"], nested.Select(n => n["title"]!.GetValue<string>()));
        Assert.Equal(["University of Stacking", "University of Stacking", "Chain Training Ltd"], nested.Select(n => n["verification"]!["issuer"]!.GetValue<string>()));
        Assert.All(nested, n => Assert.True(n["verification"]!["verified"]!.GetValue<bool>()));
        Assert.All(nested, n => Assert.Equal([3], n["componentOf"]!.AsArray().Select(i => i!.GetValue<int>())));
        // The components' own entries name the qualification they are nested under, and reference nothing themselves.
        foreach (var i in new[] { 0, 1, 3 })
        {
            Assert.Equal([3], entries[i]["componentOf"]!.AsArray().Select(x => x!.GetValue<int>()));
            Assert.Empty(entries[i]["components"]!.AsArray());
        }
    }

    [Fact]
    public async Task A_component_file_of_another_digest_is_not_nested_and_one_left_out_is_named_while_the_chain_decides_the_qualification()
    {
        var qualification = await stack.DefineAnyThreeOfFiveAsync();
        var (_, award) = await stack.AwardAndAnchorAsync(qualification, stack.Components[0], stack.Components[1], stack.Components[2]);
        // The learner "improves" the Testing credential: same id, another digest.
        var changed = (JsonObject)stack.Components[1].DeepClone();
        changed["credentialSubject"]!["achievement"]!["name"] = "Testing Everything";

        var answer = await VerifyAsync(Presentation(award, changed, stack.Components[0]));

        Assert.False(answer["verified"]!.GetValue<bool>());
        var entries = Items(answer["credentials"]);
        // The qualification itself verifies: its components check asks the chain, not the files.
        Assert.True(entries[0]["verification"]!["verified"]!.GetValue<bool>(), entries[0].ToJsonString());
        var components = Items(entries[0]["components"]);
        Assert.Equal(["matched", "digest-differs", "not-in-portfolio"], components.Select(c => c["match"]!.GetValue<string>()));
        Assert.Equal(3, components[0]["index"]!.GetValue<int>());
        Assert.Equal(Id(stack.Components[0]), components[0]["credential"]!["id"]!.GetValue<string>());
        Assert.Equal(2, components[1]["index"]!.GetValue<int>());
        Assert.Null(components[1]["credential"]);
        Assert.Equal("Testing Smart Contracts", components[1]["name"]!.GetValue<string>());
        Assert.Null(components[2]["index"]);
        Assert.Null(components[2]["credential"]);
        Assert.Equal(Id(stack.Components[2]), components[2]["id"]!.GetValue<string>());
        Assert.Equal("Gas Optimisation", components[2]["name"]!.GetValue<string>());
        // The changed file stands alone at the top, failed at digest, nested under nothing.
        Assert.Empty(entries[1]["componentOf"]!.AsArray());
        Assert.Equal("digest", entries[1]["verification"]!.AsObject().FailedCheck()!["name"]!.GetValue<string>());
        Assert.Equal([1], entries[2]["componentOf"]!.AsArray().Select(x => x!.GetValue<int>()));
    }
}
