using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Canonical;

namespace Registry.Tests.Canonical;

/// <summary>Checks against data made by other implementations, kept in Vectors/jcs.</summary>
public class JcsVectorTests
{
    private static string VectorPath(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "Vectors", "jcs", .. parts]);

    private static string[] Names() =>
        Directory.GetFiles(VectorPath("input"), "*.json").Select(path => Path.GetFileName(path)).Order().ToArray();

    public static TheoryData<string> VectorNames() => new(Names());

    [Fact]
    public void All_six_reference_vectors_are_present()
    {
        string[] expected = ["arrays.json", "french.json", "structures.json", "unicode.json", "values.json", "weird.json"];
        Assert.Equal(expected, Names());
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Canonicalizes_reference_vectors_from_a_json_element(string name)
    {
        var input = File.ReadAllBytes(VectorPath("input", name));
        var expected = File.ReadAllBytes(VectorPath("output", name));
        using var document = JsonDocument.Parse(input);
        Assert.Equal(expected, Jcs.Canonicalize(document.RootElement));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Canonicalizes_reference_vectors_from_a_json_node(string name)
    {
        var input = File.ReadAllBytes(VectorPath("input", name));
        var expected = File.ReadAllBytes(VectorPath("output", name));
        Assert.Equal(expected, Jcs.Canonicalize(JsonNode.Parse(input)));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Canonicalizes_reference_vectors_from_text_and_is_idempotent(string name)
    {
        var input = File.ReadAllBytes(VectorPath("input", name));
        var expected = File.ReadAllBytes(VectorPath("output", name));
        Assert.Equal(expected, Jcs.CanonicalizeJson(input));
        Assert.Equal(expected, Jcs.CanonicalizeJson(expected));
    }

    // numbers.txt: IEEE 754 bit patterns and what JavaScript's String(x) gives for them (Node.js),
    // including every example of RFC 8785 appendix B.
    [Fact]
    public void Formats_numbers_as_javascript_does()
    {
        var lines = File.ReadAllLines(VectorPath("numbers.txt"));
        Assert.True(lines.Length >= 8000);
        foreach (var line in lines)
        {
            var comma = line.IndexOf(',');
            var bits = ulong.Parse(line.AsSpan(0, comma), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var expected = line[(comma + 1)..];
            var value = BitConverter.UInt64BitsToDouble(bits);
            Assert.True(expected == EcmaNumber.Format(value), $"{line}: got {EcmaNumber.Format(value)}");

            // The same number written as JSON text in JavaScript's form comes back unchanged.
            Assert.Equal(expected, Jcs.CanonicalizeToString(JsonDocument.Parse(expected).RootElement));
        }
    }
}
