using System.Text.Json.Nodes;
using Registry.Tests.Infrastructure;
using Registry.Verification;

namespace Registry.Tests.Verification;

/// <summary>
/// Every check has its own failure sentence, distinct from what passing it means, and the page has it in
/// each of its six languages: the English one is the pipeline's, word for word.
/// </summary>
public sealed class FailureSentenceTests
{
    /// <summary>The page's words in its six languages, as its i18n.js exports them.</summary>
    internal static async Task<JsonObject> LoadPageStrings()
    {
        var i18n = Path.Combine(RepositoryRoot.Path, "src", "Registry.Verifier", "wwwroot", "i18n.js");
        var (exit, output) = await ProgramRunner.RunAsync("node",
            ["--input-type=module", "-e", $"const m = await import({System.Text.Json.JsonSerializer.Serialize(new Uri(i18n).AbsoluteUri)}); console.log(JSON.stringify(m.strings));"]);
        Assert.True(exit == 0, output);
        return JsonNode.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{')))!.AsObject();
    }

    [Fact]
    public async Task Each_check_fails_with_its_own_sentence_in_every_language_of_the_page()
    {
        var strings = await LoadPageStrings();
        Assert.Equal(6, strings.Count);

        foreach (var check in CredentialVerifier.Checks)
        {
            Assert.NotEqual(check.Description, check.Failure);
            Assert.Equal(check.Failure, strings["en"]![$"fail_{check.Name}"]!.GetValue<string>());
            foreach (var (lang, words) in strings)
            {
                var failure = words![$"fail_{check.Name}"]?.GetValue<string>();
                Assert.False(string.IsNullOrWhiteSpace(failure), $"{lang} has no failure sentence for {check.Name}");
                Assert.NotEqual(words[$"check_{check.Name}"]!.GetValue<string>(), failure);
            }
        }
    }
}
