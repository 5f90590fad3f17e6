using System.Text;
using System.Text.Json.Nodes;
using Registry.Tests.Credentials;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Cli;

/// <summary>The command line applies the API's rule to files: what canonical JSON would change is refused, and named.</summary>
public sealed class InexactFileTests
{
    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("9007199254740993")]
    public async Task Verify_fails_such_a_file_at_format(string value)
    {
        var file = Path.Combine(TempFolder.Create(), "credential.json");
        await File.WriteAllBytesAsync(file, LoneSurrogateTests.PortableText("description", value).ToArray());
        var (exitCode, output) = await CliTests.RunAsync("verify", file, "--json");
        Assert.Equal(1, exitCode);
        var failed = JsonNode.Parse(output[..(output.LastIndexOf('}') + 1)])!["checks"]!.AsArray().First(c => c!["status"]!.GetValue<string>() == "failed");
        Assert.Equal("format", failed!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("9007199254740993", "/credentialSubject/score")]
    [InlineData("1e-400", "/credentialSubject/score")]
    [InlineData("\"\\udc00\"", "/credentialSubject/score")]
    public async Task Issue_refuses_the_file_before_sending_and_names_the_line_and_field(string value, string field)
    {
        var good = Samples.Plain().ToJsonString();
        var bad = Samples.Plain();
        bad["credentialSubject"]!["score"] = "PLACEHOLDER";
        var file = Path.Combine(TempFolder.Create(), "credentials.jsonl");
        await File.WriteAllTextAsync(file, good + "\n" + bad.ToJsonString().Replace("\"PLACEHOLDER\"", value) + "\n");
        // Nothing listens at this address: the file is refused before any request.
        var (exitCode, output) = await CliTests.RunAsync("issue", file, "--api", "http://127.0.0.1:9", "--key", "rk_unused");
        Assert.Equal(2, exitCode);
        Assert.Contains("line 2", output);
        Assert.Contains(field, output);
    }

    [Fact]
    public async Task Issue_refuses_a_file_that_is_not_utf8_instead_of_replacing_its_bytes()
    {
        var file = Path.Combine(TempFolder.Create(), "credentials.jsonl");
        var text = Encoding.UTF8.GetBytes(Samples.Plain().ToJsonString().Replace("Welding", "Weld\u00e9ing"));
        var broken = text.AsSpan().IndexOf((byte)0xC3);
        text[broken + 1] = 0x28; // é's second byte replaced: no longer UTF-8
        await File.WriteAllBytesAsync(file, text);
        var (exitCode, output) = await CliTests.RunAsync("issue", file, "--api", "http://127.0.0.1:9", "--key", "rk_unused");
        Assert.Equal(2, exitCode);
        Assert.Contains("UTF-8", output);
    }
}
