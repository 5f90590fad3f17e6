using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Baking;
using Registry.Tests.Cli;
using Registry.Tests.Infrastructure;
using Registry.Tests.Stacks;

namespace Registry.Tests.Portfolio;

/// <summary>
/// Credentials and baked badges taken from a registry that is then stopped: <c>registry portfolio</c> and
/// <c>registry verify</c> read the files and the chain alone.
/// </summary>
public sealed class StoppedRegistryFiles : IAsyncLifetime
{
    public LocalAnvilNode Node { get; } = new();
    public string Folder { get; } = TempFolder.Create();
    public string Contract { get; private set; } = "";

    public string File(string name) => Path.Combine(Folder, name);

    public async Task InitializeAsync()
    {
        await Node.InitializeAsync();
        await using var started = await RegistryApp.StartWithIssuerAsync(Node.RpcUrl, "Polytechnic of the Portfolio");
        var (app, _, client) = started;
        var ids = await app.IssueAndAnchorAsync(client,
            StackFixture.Course("did:example:dana", 0, "Introduction to Solidity"), StackFixture.Course("did:example:dana", 1, "Testing Smart Contracts"),
            StackFixture.Course("did:example:dana", 4, "Auditing ]]> Contracts"));
        var portables = new List<JsonObject>();
        for (var i = 0; i < ids.Count; i++)
        {
            var portable = await client.PortableAsync(ids[i]);
            portables.Add(portable);
            await System.IO.File.WriteAllTextAsync(File($"c{i + 1}.json"), portable.ToJsonString());
            var tampered = (JsonObject)portable.DeepClone();
            tampered["credentialSubject"]!["achievement"]!["name"] = "Advanced Solidity";
            await System.IO.File.WriteAllTextAsync(File($"c{i + 1}-tampered.json"), tampered.ToJsonString());
        }
        await System.IO.File.WriteAllBytesAsync(File("badge.png"), await client.GetByteArrayAsync($"/credentials/{ids[2]}/badge.png"));
        await System.IO.File.WriteAllBytesAsync(File("badge.svg"), await client.GetByteArrayAsync($"/credentials/{ids[2]}/badge.svg"));
        // The three courses make "any 3 of 5": the qualification awarded from them.
        var defined = await client.PostAsJsonAsync("/qualifications", Registry.Api.Reference.QualificationExamples.Definition());
        var qualification = (await defined.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var awarded = await client.PostAsJsonAsync($"/qualifications/{qualification}/awards", AwardTests.Award("did:example:dana", [.. portables]));
        Assert.True(awarded.StatusCode == System.Net.HttpStatusCode.Accepted, await awarded.Content.ReadAsStringAsync());
        var sealedBatch = await client.PostAsync("/batches", null);
        await RegistryApp.WaitForBatchAsync(client, (await sealedBatch.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>(), "anchored");
        var award = await client.PortableAsync((await awarded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        await System.IO.File.WriteAllTextAsync(File("qualification.json"), award.ToJsonString());
        var health = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!;
        Contract = health["registry"]!.GetValue<string>();
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

[Collection(RegistryCollection.Name)]
public sealed class PortfolioCliTests(StoppedRegistryFiles files) : IClassFixture<StoppedRegistryFiles>
{
    private Task<(int ExitCode, string Output)> VerifyAsync(string file, params string[] more) =>
        CliTests.RunAsync(["verify", file, "--rpc", files.Node.RpcUrl.ToString(), "--registry", files.Contract, .. more]);

    private Task<(int ExitCode, string Output)> PortfolioAsync(string output, params string[] names) =>
        CliTests.RunAsync(["portfolio", .. names.Select(files.File), "--out", files.File(output)]);

    private static JsonObject Report(string output) => JsonNode.Parse(output[..(output.LastIndexOf('}') + 1)])!.AsObject();

    [Fact]
    public async Task A_portfolio_of_three_is_built_and_verifies_with_the_api_stopped()
    {
        var built = await PortfolioAsync("three.json", "c1.json", "c2.json", "c3.json");
        Assert.True(built.ExitCode == 0, built.Output);
        var presentation = JsonNode.Parse(await File.ReadAllTextAsync(files.File("three.json")))!;
        Assert.Equal("VerifiablePresentation", presentation["type"]![0]!.GetValue<string>());
        Assert.Equal(3, presentation["verifiableCredential"]!.AsArray().Count);

        var table = await VerifyAsync(files.File("three.json"));
        Assert.True(table.ExitCode == 0, table.Output);
        Assert.Contains("Testing Smart Contracts", table.Output);

        var json = await VerifyAsync(files.File("three.json"), "--json");
        Assert.True(json.ExitCode == 0, json.Output);
        var report = Report(json.Output);
        Assert.Equal("verified", report["outcome"]!.GetValue<string>());
        Assert.All(report["credentials"]!.AsArray(), c => Assert.True(c!["report"]!["verified"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_portfolio_with_one_tampered_credential_exits_1_and_names_it()
    {
        Assert.Equal(0, (await PortfolioAsync("one-bad.json", "c1.json", "c2-tampered.json", "c3.json")).ExitCode);
        var result = await VerifyAsync(files.File("one-bad.json"), "--json");
        Assert.True(result.ExitCode == 1, result.Output);
        var entries = Report(result.Output)["credentials"]!.AsArray();
        Assert.True(entries[0]!["report"]!["verified"]!.GetValue<bool>());
        var bad = entries[1]!;
        Assert.Equal("Advanced Solidity", bad["title"]!.GetValue<string>());
        Assert.Equal("digest", bad["report"]!["checks"]!.AsArray().Single(c => c!["status"]!.GetValue<string>() == "failed")!["name"]!.GetValue<string>());
        Assert.True(entries[2]!["report"]!["verified"]!.GetValue<bool>());

        var table = await VerifyAsync(files.File("one-bad.json"));
        Assert.Equal(1, table.ExitCode);
        Assert.Contains("credential 2 of 3 did not verify", table.Output);
    }

    [Fact]
    public async Task A_qualification_with_its_components_verifies_as_a_tree_with_the_api_stopped()
    {
        Assert.Equal(0, (await PortfolioAsync("stack.json", "c3.json", "qualification.json", "c1.json", "c2.json")).ExitCode);
        var json = await VerifyAsync(files.File("stack.json"), "--json");
        Assert.True(json.ExitCode == 0, json.Output);
        var entries = Report(json.Output)["credentials"]!.AsArray();
        var components = entries[1]!["components"]!.AsArray();
        Assert.Equal(["matched", "matched", "matched"], components.Select(c => c!["match"]!.GetValue<string>()));
        Assert.Equal([3, 4, 1], components.Select(c => c!["index"]!.GetValue<int>()));
        Assert.Equal(["Introduction to Solidity", "Testing Smart Contracts", "Auditing ]]> Contracts"],
            components.Select(c => c!["credential"]!["title"]!.GetValue<string>()));
        Assert.All(components, c => Assert.True(c!["credential"]!["report"]!["verified"]!.GetValue<bool>()));
        Assert.Equal([2], entries[0]!["componentOf"]!.AsArray().Select(i => i!.GetValue<int>()));

        // The table: the qualification first (file 2), then each component indented under it, then file 1's line is not repeated at the top.
        var table = await VerifyAsync(files.File("stack.json"));
        Assert.True(table.ExitCode == 0, table.Output);
        var lines = table.Output.Split('\n');
        var order = new[] { "Certificate in Smart Contract Engineering", "└ Introduction to Solidity", "└ Testing Smart Contracts", "└ Auditing ]]> Contracts" }
            .Select(text => Array.FindIndex(lines, l => l.Contains(text))).ToList();
        Assert.All(order, at => Assert.True(at >= 0, table.Output));
        Assert.Equal(order.Order(), order);
        Assert.Single(lines, l => l.Contains("Auditing ]]> Contracts"));
    }

    [Fact]
    public async Task A_changed_component_is_not_nested_and_a_missing_one_is_named_with_the_api_stopped()
    {
        Assert.Equal(0, (await PortfolioAsync("partial.json", "qualification.json", "c2-tampered.json", "c1.json")).ExitCode);
        var json = await VerifyAsync(files.File("partial.json"), "--json");
        Assert.True(json.ExitCode == 1, json.Output);
        var entries = Report(json.Output)["credentials"]!.AsArray();
        Assert.True(entries[0]!["report"]!["verified"]!.GetValue<bool>());
        var components = entries[0]!["components"]!.AsArray();
        Assert.Equal(["matched", "digest-differs", "not-in-portfolio"], components.Select(c => c!["match"]!.GetValue<string>()));
        Assert.Equal(2, components[1]!["index"]!.GetValue<int>());
        Assert.Null(components[1]!["credential"]);
        Assert.Null(components[2]!["index"]);
        Assert.Empty(entries[1]!["componentOf"]!.AsArray());

        var table = await VerifyAsync(files.File("partial.json"));
        Assert.Equal(1, table.ExitCode);
        Assert.Contains("does not match: credential 2", table.Output);
        Assert.Contains("not in the portfolio", table.Output);
    }

    [Fact]
    public async Task A_portfolio_whose_chain_cannot_be_read_exits_3_not_1()
    {
        Assert.Equal(0, (await PortfolioAsync("unreadable.json", "c1.json", "c2.json")).ExitCode);
        var down = $"http://127.0.0.1:{FreePorts.Next()}";
        var result = await CliTests.RunAsync("verify", files.File("unreadable.json"), "--rpc", down, "--registry", files.Contract);
        Assert.True(result.ExitCode == 3, result.Output);
        Assert.Contains(down, result.Output);
    }

    [Fact]
    public async Task A_repeated_credential_or_a_file_that_is_not_one_builds_no_portfolio()
    {
        var repeated = await PortfolioAsync("repeated.json", "c1.json", "c2.json", "c1.json");
        Assert.True(repeated.ExitCode == 2, repeated.Output);
        Assert.Contains("Entries 1 and 3", repeated.Output);
        Assert.False(File.Exists(files.File("repeated.json")));

        await File.WriteAllTextAsync(files.File("not-a-credential.json"), """{"type": ["Something"]}""");
        var notOne = await PortfolioAsync("mixed.json", "c1.json", "not-a-credential.json");
        Assert.True(notOne.ExitCode == 2, notOne.Output);
        Assert.Contains("Entry 2", notOne.Output);

        // A hand-made presentation with a repeat is refused by verify too, as bad input.
        var presentation = Registry.Portfolio.Presentation.Compose([JsonNode.Parse(await File.ReadAllTextAsync(files.File("c1.json")))!.AsObject()]).Presentation!;
        presentation["verifiableCredential"]!.AsArray().Add(JsonNode.Parse(await File.ReadAllTextAsync(files.File("c1.json"))));
        await File.WriteAllTextAsync(files.File("hand-made.json"), presentation.ToJsonString());
        var verified = await VerifyAsync(files.File("hand-made.json"));
        Assert.True(verified.ExitCode == 2, verified.Output);
        Assert.Contains("same credential", verified.Output);
    }

    [Theory]
    [InlineData("badge.png")]
    [InlineData("badge.svg")]
    public async Task A_baked_badge_from_the_api_verifies_with_the_api_stopped(string name)
    {
        var result = await VerifyAsync(files.File(name), "--json");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.True(Report(result.Output)["verified"]!.GetValue<bool>());
        // And a badge goes into a portfolio like any credential file.
        Assert.Equal(0, (await PortfolioAsync($"with-{name}.json", "c1.json", name)).ExitCode);
        Assert.Equal(0, (await VerifyAsync(files.File($"with-{name}.json"))).ExitCode);
    }

    [Theory]
    [InlineData("badge.png", BadgeFormat.Png)]
    [InlineData("badge.svg", BadgeFormat.Svg)]
    public async Task A_badge_altered_after_baking_fails_at_digest(string name, BadgeFormat format)
    {
        var image = await File.ReadAllBytesAsync(files.File(name));
        var credential = JsonNode.Parse(BakedImage.Extract(format, image).Credential)!.AsObject();
        credential["credentialSubject"]!["achievement"]!["name"] = "Auditing Everything";
        var altered = files.File($"altered-{name}");
        await File.WriteAllBytesAsync(altered, BakedImage.Bake(format, image, credential.ToJsonString()));

        var result = await VerifyAsync(altered, "--json");
        Assert.True(result.ExitCode == 1, result.Output);
        var failed = Report(result.Output)["checks"]!.AsArray().Single(c => c!["status"]!.GetValue<string>() == "failed")!;
        Assert.Equal("digest", failed["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_image_with_two_credentials_or_none_exits_2_with_the_reason()
    {
        await File.WriteAllBytesAsync(files.File("two.svg"), BakingTests.WithCredentialTwice(await File.ReadAllBytesAsync(files.File("badge.svg"))));
        var two = await VerifyAsync(files.File("two.svg"));
        Assert.True(two.ExitCode == 2, two.Output);
        Assert.Contains("2 baked credentials", two.Output);

        await File.WriteAllBytesAsync(files.File("none.png"), BadgeArt.DrawPng(new BadgeLabels("Plain", "Nobody", "2026-01-01", null)));
        var none = await VerifyAsync(files.File("none.png"));
        Assert.True(none.ExitCode == 2, none.Output);
        Assert.Contains("no baked credential", none.Output);
    }
}
