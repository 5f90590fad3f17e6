using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Canonical;

namespace Registry.Tests.Canonical;

public class JcsTests
{
    private static string FromText(string json)
    {
        using var document = JsonDocument.Parse(json);
        var fromElement = Jcs.CanonicalizeToString(document.RootElement);
        var fromNode = Jcs.CanonicalizeToString(JsonNode.Parse(json));
        Assert.Equal(fromElement, fromNode);
        return fromElement;
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.0, "-1")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(0.0000012345, "0.0000012345")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(-5e-324, "-5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(0.1, "0.1")]
    [InlineData(4.5, "4.5")]
    [InlineData(100.0, "100")]
    [InlineData(1e300, "1e+300")]
    [InlineData(-1.5e300, "-1.5e+300")]
    [InlineData(12345678901234567890123.0, "1.2345678901234568e+22")]
    [InlineData(9007199254740993.0, "9007199254740992")]
    [InlineData(333333333.33333329, "333333333.3333333")]
    [InlineData(123e-20, "1.23e-18")]
    [InlineData(56.0, "56")]
    public void Formats_numbers_as_ecmascript(double value, string expected)
    {
        Assert.Equal(expected, EcmaNumber.Format(value));
        Assert.Equal(expected, Jcs.CanonicalizeToString(JsonValue.Create(value)));
    }

    [Fact]
    public void Writes_negative_zero_as_zero()
    {
        Assert.Equal("0", EcmaNumber.Format(-0.0));
        Assert.Equal("0", Jcs.CanonicalizeToString(JsonValue.Create(-0.0)));
        Assert.Equal("[0]", Jcs.CanonicalizeToString(new JsonArray(-0.0)));
    }

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("1E3", "1000")]
    [InlineData("-0", "0")]
    [InlineData("-0.0e5", "0")]
    [InlineData("0.00000010", "1e-7")]
    [InlineData("1e-400", "0")]
    [InlineData("100000000000000000000000", "1e+23")]
    [InlineData("9007199254740993", "9007199254740992")]
    public void Normalizes_number_notation(string json, string expected)
    {
        Assert.Equal(expected, FromText(json));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Refuses_numbers_json_cannot_hold(double value)
    {
        Assert.Throws<JcsException>(() => EcmaNumber.Format(value));
        Assert.Throws<JcsException>(() => Jcs.Canonicalize(new JsonArray(JsonValue.Create(value))));
        Assert.Throws<JcsException>(() => Jcs.Canonicalize(JsonValue.Create((float)value)));
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("[1, {\"a\": 2e308}]")]
    public void Refuses_numbers_that_overflow_a_double(string json)
    {
        using var document = JsonDocument.Parse(json);
        var error = Assert.Throws<JcsException>(() => Jcs.Canonicalize(document.RootElement));
        Assert.Contains("too large for a double", error.Message);
        Assert.Throws<JcsException>(() => Jcs.Canonicalize(JsonNode.Parse(json)));
    }

    [Fact]
    public void Escapes_only_what_json_requires()
    {
        var text = "\"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u0080é€😂\u2028\u2029</script>'";
        var expected = "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\u007f\u0080é€😂\u2028\u2029</script>'\"";
        Assert.Equal(expected, Jcs.CanonicalizeToString(JsonValue.Create(text)));
        Assert.Equal(expected, FromText(JsonSerializer.Serialize(text)));
    }

    [Fact]
    public void Writes_every_control_character_with_its_shortest_escape()
    {
        for (var c = '\0'; c < ' '; c++)
        {
            var expected = c switch
            {
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\f' => "\\f",
                '\r' => "\\r",
                _ => $"\\u{(int)c:x4}",
            };
            Assert.Equal($"\"{expected}\"", Jcs.CanonicalizeToString(JsonValue.Create(c.ToString())));
        }
    }

    [Fact]
    public void Writes_non_ascii_as_utf8()
    {
        var bytes = Jcs.Canonicalize(JsonValue.Create("é😂"));
        Assert.Equal([(byte)'"', 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x82, (byte)'"'], bytes);
    }

    // Built in code: test data attributes would turn lone surrogates into U+FFFD on the way.
    public static TheoryData<string> LoneSurrogates() => new(
        new string(['\ud800']),
        new string(['a', '\udc00', 'b']),
        new string(['\udc00', '\ud800']),
        new string(['o', 'k', '\ud83d']),
        new string(['\ud83d', '\n']));

    [Theory]
    [MemberData(nameof(LoneSurrogates), DisableDiscoveryEnumeration = true)]
    public void Refuses_lone_surrogates_in_strings_built_in_code(string text)
    {
        Assert.False(text.Contains('\ufffd'));
        var error = Assert.Throws<JcsException>(() => Jcs.Canonicalize(JsonValue.Create(text)));
        Assert.Contains("lone surrogate", error.Message);
        error = Assert.Throws<JcsException>(() => Jcs.Canonicalize(new JsonObject { [text] = 1 }));
        Assert.Contains("property name", error.Message);
    }

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("[\"a\\udc00b\"]")]
    [InlineData("{\"\\ud83d\": 1}")]
    [InlineData("{\"a\": \"\\ude02\\ud83d\"}")]
    public void Refuses_lone_surrogates_in_parsed_json(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Throws<JcsException>(() => Jcs.Canonicalize(document.RootElement));
        Assert.Throws<JcsException>(() => Jcs.CanonicalizeJson(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Sorts_property_names_by_utf16_code_units()
    {
        // U+1F600 is D83D DE00 in UTF-16, below U+E000 and U+FFFF, although above them as a code point.
        var json = "{\"\uffff\":1,\"\ue000\":2,\"😀\":3,\"a\":4,\"B\":5,\"\":6,\"aa\":7,\"é\":8,\"\u0080\":9}";
        Assert.Equal("{\"\":6,\"B\":5,\"a\":4,\"aa\":7,\"\u0080\":9,\"é\":8,\"😀\":3,\"\ue000\":2,\"\uffff\":1}", FromText(json));
    }

    [Fact]
    public void Sorts_nested_objects_and_keeps_array_order()
    {
        var json = """
            { "z": [3, 1, {"b": null, "a": [true, false]}],
              "a": { "y": {"d": {}, "c": []}, "x": "x" },
              "m": [[], {}, [{}]] }
            """;
        Assert.Equal("{\"a\":{\"x\":\"x\",\"y\":{\"c\":[],\"d\":{}}},\"m\":[[],{},[{}]],\"z\":[3,1,{\"a\":[true,false],\"b\":null}]}", FromText(json));
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}", "\"a\" appears twice")]
    [InlineData("{\"b\":{\"x\":1,\"y\":2,\"x\":3}}", "\"x\" appears twice")]
    [InlineData("[{\"é\":1,\"\\u00e9\":2}]", "\"é\" appears twice")]
    public void Refuses_duplicate_property_names(string json, string reason)
    {
        using var document = JsonDocument.Parse(json);
        var error = Assert.Throws<JcsException>(() => Jcs.Canonicalize(document.RootElement));
        Assert.Contains(reason, error.Message);
        Assert.Throws<JcsException>(() => Jcs.CanonicalizeJson(Encoding.UTF8.GetBytes(json)));

        var lenient = new JsonDocumentOptions { AllowDuplicateProperties = true };
        Assert.Throws<JcsException>(() => Jcs.Canonicalize(JsonNode.Parse(json, documentOptions: lenient)));
    }

    [Fact]
    public void Canonicalizes_nodes_built_in_code()
    {
        // Every number becomes a double, as in JavaScript: long.MaxValue loses its last digits.
        var node = new JsonObject
        {
            ["string"] = "text",
            ["int"] = 42,
            ["long"] = long.MaxValue,
            ["decimal"] = 1.50m,
            ["float"] = 0.1f,
            ["double"] = 0.1,
            ["true"] = true,
            ["false"] = false,
            ["null"] = null,
            ["array"] = new JsonArray(1, "two", null, new JsonObject()),
            ["date"] = new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero),
            ["char"] = 'c',
            ["parsed"] = JsonNode.Parse("{\"b\": 1.0, \"a\": [2e0]}"),
        };
        Assert.Equal(
            "{\"array\":[1,\"two\",null,{}],\"char\":\"c\",\"date\":\"2026-11-29T10:00:00+00:00\",\"decimal\":1.5,\"double\":0.1," +
            "\"false\":false,\"float\":0.1,\"int\":42,\"long\":9223372036854776000,\"null\":null,\"parsed\":{\"a\":[2],\"b\":1}," +
            "\"string\":\"text\",\"true\":true}",
            Jcs.CanonicalizeToString(node));
    }

    [Fact]
    public void Writes_literals_and_empty_containers()
    {
        Assert.Equal("null", Jcs.CanonicalizeToString((JsonNode?)null));
        Assert.Equal("null", FromText("null"));
        Assert.Equal("true", FromText(" true "));
        Assert.Equal("false", FromText("false"));
        Assert.Equal("{}", FromText("{ }"));
        Assert.Equal("[]", FromText("[ ]"));
        Assert.Equal("\"\"", FromText("\"\""));
    }

    [Fact]
    public void Writes_to_a_buffer_writer()
    {
        var json = "{\"b\":[1,2],\"a\":\"x\"}";
        var output = new ArrayBufferWriter<byte>();
        output.Write("prefix:"u8);
        Jcs.Canonicalize(JsonNode.Parse(json), output);
        using var document = JsonDocument.Parse(json);
        Jcs.Canonicalize(document.RootElement, output);
        Assert.Equal("prefix:{\"a\":\"x\",\"b\":[1,2]}{\"a\":\"x\",\"b\":[1,2]}", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Handles_large_documents()
    {
        var items = new JsonArray();
        for (var i = 0; i < 20_000; i++)
        {
            items.Add(new JsonObject { ["n"] = i, ["s"] = new string('é', i % 50) + "\n" });
        }

        var canonical = Jcs.Canonicalize(new JsonObject { ["items"] = items });
        Assert.Equal(canonical, Jcs.CanonicalizeJson(canonical));
    }

    [Fact]
    public void Refuses_nesting_deeper_than_its_limit()
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < Jcs.MaxDepth + 5; i++)
        {
            node = new JsonArray(node);
        }

        var error = Assert.Throws<JcsException>(() => Jcs.Canonicalize(node));
        Assert.Contains("deeper", error.Message);

        var deep = new string('[', 200) + new string(']', 200);
        Assert.Equal(deep, Encoding.UTF8.GetString(Jcs.CanonicalizeJson(Encoding.UTF8.GetBytes(deep))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1,]")]
    [InlineData("{} {}")]
    [InlineData("NaN")]
    public void Refuses_text_that_is_not_json(string text)
    {
        Assert.Throws<JcsException>(() => Jcs.CanonicalizeJson(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Refuses_an_undefined_element()
    {
        Assert.Throws<JcsException>(() => Jcs.Canonicalize(default(JsonElement)));
    }

    [Fact]
    public void Is_a_format_exception()
    {
        Assert.IsAssignableFrom<FormatException>(new JcsException("x"));
    }
}
