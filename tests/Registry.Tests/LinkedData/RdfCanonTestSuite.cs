using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.LinkedData;

namespace Registry.Tests.LinkedData;

/// <summary>
/// Every test of the W3C RDF Dataset Canonicalization suite (Vectors/rdf-canon, from w3c/rdf-canon):
/// evaluation tests compare the canonical N-Quads byte for byte, map tests compare the issued
/// blank node labels, and the negative test (a poison dataset) must be refused.
/// </summary>
public sealed class RdfCanonTestSuite
{
    private static string SuitePath(string relative) => Path.Combine(AppContext.BaseDirectory, "Vectors", "rdf-canon", relative);

    private static readonly JsonArray Entries =
        JsonNode.Parse(File.ReadAllText(SuitePath("manifest.jsonld")))!["entries"]!.AsArray();

    public static TheoryData<string> Tests()
    {
        var data = new TheoryData<string>();
        foreach (var entry in Entries)
            data.Add(entry!["id"]!.GetValue<string>());
        return data;
    }

    [Fact]
    public void The_manifest_holds_every_kind_of_test()
    {
        var types = Entries.Select(entry => entry!["type"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(["rdfc:RDFC10EvalTest", "rdfc:RDFC10MapTest", "rdfc:RDFC10NegativeEvalTest"], types.Order());
        Assert.True(Entries.Count >= 86, $"the manifest lists {Entries.Count} tests");
    }

    [Theory]
    [MemberData(nameof(Tests))]
    public void Runs(string id)
    {
        var entry = Entries.Single(candidate => candidate!["id"]!.GetValue<string>() == id)!;
        var input = NQuads.Parse(File.ReadAllText(SuitePath(entry["action"]!.GetValue<string>())));
        var options = new RdfcOptions(entry["hashAlgorithm"]?.GetValue<string>() switch
        {
            null or "SHA256" => RdfcHashAlgorithm.Sha256,
            "SHA384" => RdfcHashAlgorithm.Sha384,
            var other => throw new InvalidOperationException($"unknown hash algorithm {other}"),
        });

        switch (entry["type"]!.GetValue<string>())
        {
            case "rdfc:RDFC10EvalTest":
                var expected = File.ReadAllText(SuitePath(entry["result"]!.GetValue<string>()));
                Assert.Equal(expected, Rdfc10.Canonicalize(input, options));
                break;
            case "rdfc:RDFC10MapTest":
                var expectedMap = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(SuitePath(entry["result"]!.GetValue<string>())))!;
                var issued = Rdfc10.CanonicalizeWithMap(input, options).IssuedIdentifiers;
                Assert.Equal(expectedMap.OrderBy(pair => pair.Key), issued.OrderBy(pair => pair.Key));
                break;
            case "rdfc:RDFC10NegativeEvalTest":
                Assert.Throws<RdfcLimitExceededException>(() => Rdfc10.Canonicalize(input, options));
                break;
            default:
                throw new InvalidOperationException($"{id}: unknown test type");
        }
    }
}
