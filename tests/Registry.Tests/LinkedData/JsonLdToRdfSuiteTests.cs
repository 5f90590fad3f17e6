using System.Text.Json.Nodes;
using Registry.LinkedData;

namespace Registry.Tests.LinkedData;

/// <summary>
/// The W3C JSON-LD 1.1 toRdf test suite (w3c/json-ld-api, tests/toRdf-manifest.jsonld, vendored in
/// Vectors/json-ld-api with its licence): every test but those listed with a reason in excluded.json.
/// Positive tests must give a dataset isomorphic to the expected N-Quads; negative tests the expected error code.
/// </summary>
public class JsonLdToRdfSuiteTests
{
    private const string SuiteBase = "https://w3c.github.io/json-ld-api/tests/";

    private static string SuitePath(string relative) => Path.Combine(AppContext.BaseDirectory, "Vectors", "json-ld-api", relative);

    private static readonly JsonObject Manifest = (JsonObject)JsonNode.Parse(File.ReadAllText(SuitePath("toRdf-manifest.jsonld")))!;

    private static readonly JsonObject Excluded = (JsonObject)JsonNode.Parse(File.ReadAllText(SuitePath("excluded.json")))!;

    private static IEnumerable<JsonObject> Tests() => Manifest["sequence"]!.AsArray().Cast<JsonObject>();

    public static TheoryData<string> IncludedTests() =>
        new(Tests().Select(t => (string)t["@id"]!).Where(id => !Excluded.ContainsKey(id)));

    /// <summary>Serves the suite's files for its base URL, as the suite's remote contexts are given.</summary>
    private sealed class SuiteLoader : IDocumentLoader
    {
        public RemoteDocument Load(string url)
        {
            if (!url.StartsWith(SuiteBase, StringComparison.Ordinal))
                throw new JsonLdException("loading remote context failed", $"{url} is not part of the test suite.", url);
            var path = SuitePath(url[SuiteBase.Length..]);
            if (!File.Exists(path))
                throw new JsonLdException("loading remote context failed", $"{url} is not in the vendored suite.", url);
            return new RemoteDocument(url, JsonNode.Parse(File.ReadAllText(path))!);
        }
    }

    private static readonly SuiteLoader Loader = new();

    [Fact]
    public void Every_excluded_test_exists_in_the_manifest_and_has_a_reason()
    {
        var ids = Tests().Select(t => (string)t["@id"]!).ToHashSet();
        foreach (var (id, reason) in Excluded)
        {
            Assert.True(ids.Contains(id), $"{id} is excluded but is not in the manifest.");
            Assert.False(string.IsNullOrWhiteSpace((string?)reason), $"{id} is excluded without a reason.");
        }
    }

    [Theory]
    [MemberData(nameof(IncludedTests))]
    public void W3c_toRdf_test(string id)
    {
        var test = Tests().Single(t => (string)t["@id"]! == id);
        var input = (string)test["input"]!;
        var option = test["option"] as JsonObject;
        var options = new JsonLdOptions
        {
            DocumentLoader = Loader,
            Base = (string?)option?["base"] ?? SuiteBase + input,
            ExpandContext = option?["expandContext"] is { } expandContext ? Loader.Load(SuiteBase + (string)expandContext!).Document : null,
            RdfDirection = (string?)option?["rdfDirection"] switch
            {
                null => RdfDirection.None,
                "i18n-datatype" => RdfDirection.I18nDatatype,
                var other => throw new InvalidOperationException($"{id} asks for rdfDirection {other}, which the processor does not have; exclude it."),
            },
        };
        var document = JsonNode.Parse(File.ReadAllText(SuitePath(input)));
        var types = test["@type"]!.AsArray().Select(t => (string)t!).ToList();
        if (types.Contains("jld:NegativeEvaluationTest"))
        {
            var error = Assert.Throws<JsonLdException>(() => JsonLd.ToRdf(document, options));
            Assert.Equal((string)test["expectErrorCode"]!, error.Code);
            return;
        }
        var actual = JsonLd.ToRdf(document, options);
        if (types.Contains("jld:PositiveSyntaxTest"))
            return;
        var expected = NQuads.Parse(File.ReadAllText(SuitePath((string)test["expect"]!)));
        Assert.True(DatasetIsomorphism.AreIsomorphic(actual, expected),
            $"Expected:\n{NQuads.Serialize(expected.Distinct())}\nActual:\n{NQuads.Serialize(actual.Distinct())}");
    }
}
