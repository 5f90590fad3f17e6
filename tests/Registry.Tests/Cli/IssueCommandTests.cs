using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Cli;

/// <summary>`registry issue` against the registry served by Kestrel on a loopback port.</summary>
[Collection(NodeCollection.Name)]
public sealed class IssueCommandTests(LocalAnvilNode node)
{
    [Fact]
    public async Task Issues_a_json_lines_file_and_names_the_bad_item_of_an_array()
    {
        await using var app = new RegistryApp(node.RpcUrl);
        var port = FreePorts.Next();
        app.UseKestrel(port);
        app.StartServer();
        var issuer = await app.CreateIssuerAsync("Command Line College");
        var api = $"http://127.0.0.1:{port}";
        var folder = TempFolder.Create();

        var lines = Path.Combine(folder, "credentials.jsonl");
        await File.WriteAllLinesAsync(lines, Enumerable.Range(0, 5).Select(i => Samples.Badge($"did:example:cli-{i}").ToJsonString()));
        var ok = await CliTests.RunAsync("issue", lines, "--api", api, "--key", issuer.ApiKey, "--chunk", "2");
        Assert.True(ok.ExitCode == 0, ok.Output);
        var items = ok.Output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(5, items.Count);
        var client = app.ClientWithKey(issuer.ApiKey);
        foreach (var item in items)
            Assert.Equal("pending", (await client.GetFromJsonAsync<JsonObject>($"/credentials/{item["id"]!.GetValue<string>()}"))!["status"]!.GetValue<string>());

        var bad = Samples.Badge();
        bad.Remove("credentialSubject");
        var array = Path.Combine(folder, "credentials.json");
        await File.WriteAllTextAsync(array, new JsonArray(Samples.Plain(), bad).ToJsonString());
        var refused = await CliTests.RunAsync("issue", array, "--api", api, "--key", issuer.ApiKey);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("credential 2 /credentialSubject", refused.Output);

        Assert.Equal(1, (await CliTests.RunAsync("issue", lines, "--api", api, "--key", "rk_wrong")).ExitCode);
        Assert.Equal(2, (await CliTests.RunAsync("issue", lines, "--api", "nope", "--key", issuer.ApiKey)).ExitCode);
        var junk = Path.Combine(folder, "junk.jsonl");
        await File.WriteAllTextAsync(junk, "{\"a\": 1}\nnot json\n");
        var unreadable = await CliTests.RunAsync("issue", junk, "--api", api, "--key", issuer.ApiKey);
        Assert.Equal(2, unreadable.ExitCode);
        Assert.Contains("line 2", unreadable.Output);
    }
}
