using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;
using Registry.Credentials;

namespace Registry.Tests.Credentials;

/// <summary>
/// The compiled schema check keyword by keyword, on the cases where a plain reading of JSON Schema and
/// JsonSchema.Net part ways or an implementation easily slips. Each case states the expected verdict and
/// checks that both the compiled check and JsonSchema.Net give it.
/// </summary>
public sealed class CompiledSchemaTests
{
    private static readonly EvaluationOptions Flag = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };

    /// <summary>Each schema built once: JsonSchema.Net refuses to register a second schema under the same <c>$id</c>.</summary>
    private static readonly ConcurrentDictionary<string, JsonSchema> Built = new();

    /// <summary>A 2020-12 schema from its keywords, <paramref name="keywords"/> being the inside of the object.</summary>
    private static string Schema(string keywords) => $$"""{"$schema": "https://json-schema.org/draft/2020-12/schema", {{keywords}}}""";

    private static void AssertVerdict(string keywords, string instance, bool expected)
    {
        var schema = Schema(keywords);
        using var document = JsonDocument.Parse(instance);
        Assert.True(expected == Built.GetOrAdd(schema, text => JsonSchema.FromText(text)).Evaluate(document.RootElement, Flag).IsValid, $"JsonSchema.Net on {instance}");
        Assert.True(expected == CompiledSchema.Compile(schema).IsValid(document.RootElement), $"the compiled check on {instance}");
    }

    [Theory]
    [InlineData("\"ab\"", true)]
    [InlineData("\"a\"", false)]
    [InlineData("\"\"", false)]
    // An astral character is two UTF-16 units but one character.
    [InlineData("\"𝔠\"", false)]
    [InlineData("\"\\ud835\\udd20\"", false)]
    [InlineData("\"𝔠𝔠\"", true)]
    [InlineData("\"a𝔠\"", true)]
    // JsonSchema.Net counts text elements, not code points: a letter with a combining accent, a flag,
    // an emoji with a skin tone and a CR LF are each one.
    [InlineData("\"e\u0301\"", false)]
    [InlineData("\"🇩🇪\"", false)]
    [InlineData("\"👍🏽\"", false)]
    [InlineData("\"\\r\\n\"", false)]
    [InlineData("\"\\n\\r\"", true)]
    [InlineData("\"\\u0061b\"", true)]
    [InlineData("12", true)]
    public void MinLength_counts_characters_as_text_elements(string instance, bool expected) =>
        AssertVerdict("\"minLength\": 2", instance, expected);

    [Fact]
    public void MinLength_reads_long_strings_too()
    {
        AssertVerdict("\"minLength\": 300", JsonSerializer.Serialize(new string('x', 299)), false);
        AssertVerdict("\"minLength\": 300", JsonSerializer.Serialize(new string('x', 300)), true);
        AssertVerdict("\"minLength\": 300", JsonSerializer.Serialize(string.Concat(Enumerable.Repeat("e\u0301", 300))), true);
        AssertVerdict("\"minLength\": 300", JsonSerializer.Serialize(string.Concat(Enumerable.Repeat("e\u0301", 299))), false);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("1.0", true)]
    [InlineData("-0", true)]
    [InlineData("1e2", true)]
    [InlineData("1.5e1", true)]
    [InlineData("9223372036854775808", true)]
    [InlineData("1.5", false)]
    [InlineData("1e-2", false)]
    [InlineData("\"1\"", false)]
    [InlineData("true", false)]
    [InlineData("null", false)]
    public void An_integer_is_a_number_without_a_fraction(string instance, bool expected) =>
        AssertVerdict("\"type\": \"integer\"", instance, expected);

    [Theory]
    [InlineData("1", true)]
    [InlineData("2.5", true)]
    [InlineData("\"2.5\"", false)]
    public void A_number_may_be_an_integer(string instance, bool expected) =>
        AssertVerdict("\"type\": \"number\"", instance, expected);

    [Theory]
    [InlineData("1", true)]
    [InlineData("1.0", true)]
    [InlineData("1e0", true)]
    [InlineData("10e-1", true)]
    [InlineData("1.5", false)]
    [InlineData("\"1\"", false)]
    [InlineData("true", false)]
    [InlineData("[1]", false)]
    public void Const_numbers_are_equal_by_value(string instance, bool expected) =>
        AssertVerdict("\"const\": 1", instance, expected);

    [Theory]
    [InlineData("{\"a\": [1, \"x\"], \"b\": null}", true)]
    [InlineData("{\"b\": null, \"a\": [1.0, \"x\"]}", true)]
    [InlineData("{\"a\": [1, \"\\u0078\"], \"b\": null}", true)]
    [InlineData("{\"a\": [\"x\", 1], \"b\": null}", false)]
    [InlineData("{\"a\": [1, \"x\"]}", false)]
    [InlineData("{\"a\": [1, \"x\"], \"b\": false}", false)]
    [InlineData("{\"a\": [1, \"x\"], \"b\": null, \"c\": 1}", false)]
    public void Const_objects_and_arrays_are_equal_by_content(string instance, bool expected) =>
        AssertVerdict("\"const\": {\"a\": [1, \"x\"], \"b\": null}", instance, expected);

    [Theory]
    [InlineData("\"Completed\"", true)]
    [InlineData("\"Com\\u0070leted\"", true)]
    [InlineData("null", true)]
    [InlineData("2", true)]
    [InlineData("2.00", true)]
    [InlineData("\"completed\"", false)]
    [InlineData("false", false)]
    [InlineData("\"2\"", false)]
    public void Enum_takes_any_of_its_values(string instance, bool expected) =>
        AssertVerdict("\"enum\": [\"Completed\", null, 2]", instance, expected);

    [Theory]
    [InlineData("\"ab\"", false)] // both alternatives match
    [InlineData("\"\"", true)] // only the first
    [InlineData("5", true)] // only the second (minLength ignores numbers)
    [InlineData("null", true)]
    public void OneOf_with_two_matches_is_invalid(string instance, bool expected) =>
        AssertVerdict("\"oneOf\": [{\"type\": \"string\"}, {\"minLength\": 1}]", instance, expected);

    [Theory]
    [InlineData("[\"y\", \"x\"]", true)]
    [InlineData("[\"x\", \"x\"]", true)]
    [InlineData("[\"y\"]", false)]
    [InlineData("[]", false)]
    [InlineData("\"x\"", true)] // not an array: contains does not apply
    public void Contains_needs_one_matching_element(string instance, bool expected) =>
        AssertVerdict("\"contains\": {\"const\": \"x\"}", instance, expected);

    [Theory]
    [InlineData("[\"a\", 1, 2.5]", true)]
    [InlineData("[\"a\"]", true)]
    [InlineData("[]", true)]
    [InlineData("[\"a\", \"b\"]", false)]
    [InlineData("[\"b\", 1]", false)]
    [InlineData("[1]", false)]
    public void Items_covers_what_follows_prefixItems(string instance, bool expected) =>
        AssertVerdict("\"prefixItems\": [{\"const\": \"a\"}], \"items\": {\"type\": \"number\"}", instance, expected);

    [Theory]
    [InlineData("[\"a\", \"b\"]", true)]
    [InlineData("[\"a\", \"\\u0061\"]", false)]
    [InlineData("[1, 1.0]", false)]
    [InlineData("[{\"a\": 1, \"b\": 2}, {\"b\": 2, \"a\": 1}]", false)]
    [InlineData("[{\"a\": 1}, {\"a\": 2}]", true)]
    [InlineData("[[1, \"x\"], [1, \"x\"]]", false)]
    // JsonSchema.Net hashes a number inside an array or object by its text, so these are not repeats to it.
    [InlineData("[[1], [1.0]]", true)]
    [InlineData("[{\"a\": 1}, {\"a\": 1.0}]", true)]
    [InlineData("[true, false, null, 0, \"\", [], {}]", true)]
    [InlineData("[null, null]", false)]
    public void UniqueItems_finds_repeats_as_JsonSchema_Net_does(string instance, bool expected) =>
        AssertVerdict("\"uniqueItems\": true", instance, expected);

    [Fact]
    public void UniqueItems_reads_long_arrays_too()
    {
        var distinct = "[" + string.Join(", ", Enumerable.Range(0, 100).Select(i => $"\"{i}\"")) + "]";
        AssertVerdict("\"uniqueItems\": true", distinct, true);
        AssertVerdict("\"uniqueItems\": true", distinct[..^1] + ", \"57\"]", false);
        AssertVerdict("\"uniqueItems\": true", distinct[..^1] + ", 5, 5.0]", false);
        AssertVerdict("\"uniqueItems\": true", distinct[..^1] + ", [5], [5.0]]", true);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("-0", true)]
    [InlineData("0.0", true)]
    [InlineData("1e-400", true)]
    [InlineData("1e400", true)]
    [InlineData("0.0000001", true)]
    [InlineData("-1", false)]
    [InlineData("-1e-400", false)]
    [InlineData("-1e400", false)]
    [InlineData("\"-1\"", true)] // not a number: minimum does not apply
    public void Minimum_compares_exact_values(string instance, bool expected) =>
        AssertVerdict("\"minimum\": 0", instance, expected);

    [Theory]
    [InlineData("2.5", true)]
    [InlineData("2.50000000000000000000000001", true)]
    [InlineData("2.49999999999999999999999999", false)]
    [InlineData("25e-1", true)]
    public void Minimum_decides_what_a_double_cannot(string instance, bool expected) =>
        AssertVerdict("\"minimum\": 2.5", instance, expected);

    [Theory]
    [InlineData("\"2026\"", true)]
    [InlineData("\"x2026\"", false)]
    // With RegexOptions.ECMAScript, as JsonSchema.Net compiles patterns, \d is an ASCII digit only.
    [InlineData("\"٢٠٢٦\"", false)]
    [InlineData("7", true)]
    public void Pattern_is_an_ECMAScript_regex(string instance, bool expected) =>
        AssertVerdict("\"pattern\": \"^\\\\d+$\"", instance, expected);

    [Theory]
    [InlineData("\"https://example.edu/badges/1\"", true)]
    [InlineData("\"urn:uuid:6f1d3c9e-1c39-4b7e-9d6c-3f7f5a0c2b11\"", true)]
    [InlineData("\"did:example:learner-1\"", true)]
    [InlineData("\"not a uri\"", false)]
    [InlineData("\"/relative/path\"", false)]
    [InlineData("\"https://bücher.example/\"", false)]
    [InlineData("42", true)]
    public void Format_uri_is_JsonSchema_Nets(string instance, bool expected) =>
        AssertVerdict("\"format\": \"uri\"", instance, expected);

    [Theory]
    [InlineData("\"2026-01-15T09:00:00Z\"", true)]
    [InlineData("\"2026-01-15T09:00:00.125+01:00\"", true)]
    [InlineData("\"2026-01-15\"", false)]
    [InlineData("\"2026-13-01T09:00:00Z\"", false)]
    [InlineData("\"2026-01-15T09:00:00\"", false)]
    [InlineData("true", true)]
    public void Format_date_time_is_JsonSchema_Nets(string instance, bool expected) =>
        AssertVerdict("\"format\": \"date-time\"", instance, expected);

    [Theory]
    [InlineData("{\"a\": 1}", true)]
    [InlineData("{\"\": 1}", false)]
    [InlineData("{\"a\": 1, \"\": 2}", false)]
    [InlineData("{}", true)]
    public void PropertyNames_checks_each_name(string instance, bool expected) =>
        AssertVerdict("\"propertyNames\": {\"type\": \"string\", \"minLength\": 1}", instance, expected);

    [Theory]
    [InlineData("{\"a\": 1}", true)]
    [InlineData("{\"a\": 1, \"b\": 2}", false)]
    [InlineData("{\"b\": \"x\"}", false)]
    [InlineData("{}", true)]
    [InlineData("{\"\\u0061\": 1}", true)]
    [InlineData("{\"\\u0062\": 1}", false)]
    public void AdditionalProperties_covers_the_properties_not_named(string instance, bool expected) =>
        AssertVerdict("\"properties\": {\"a\": {}}, \"additionalProperties\": false", instance, expected);

    [Theory]
    [InlineData("{\"a\": 1, \"b\": \"x\"}", true)]
    [InlineData("{\"a\": 1, \"b\": 2}", false)]
    [InlineData("{\"b\": \"x\"}", false)]
    public void A_name_only_required_lists_is_still_an_additional_property(string instance, bool expected) =>
        AssertVerdict("\"properties\": {\"a\": {}}, \"required\": [\"a\", \"b\"], \"additionalProperties\": {\"type\": \"string\"}", instance, expected);

    [Theory]
    [InlineData("{\"id\": \"x\", \"type\": \"T\"}", true)]
    [InlineData("{\"id\": \"x\"}", false)]
    [InlineData("{\"id\": 1, \"type\": \"T\"}", false)]
    [InlineData("[]", true)] // not an object: required and properties do not apply
    // A name written with an escape is the same name.
    [InlineData("{\"\\u0069d\": \"x\", \"type\": \"T\"}", true)]
    [InlineData("{\"\\u0069d\": 1, \"type\": \"T\"}", false)]
    [InlineData("{\"\\u0069\": \"x\", \"type\": \"T\"}", false)]
    public void Required_and_properties_apply_to_objects(string instance, bool expected) =>
        AssertVerdict("\"required\": [\"id\", \"type\"], \"properties\": {\"id\": {\"type\": \"string\"}}", instance, expected);

    [Theory]
    [InlineData("[[], [[]]]", true)]
    [InlineData("[[1]]", false)]
    [InlineData("[]", true)]
    public void A_reference_may_be_recursive(string instance, bool expected) =>
        AssertVerdict("\"$defs\": {\"tree\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/tree\"}}}, \"$ref\": \"#/$defs/tree\"", instance, expected);

    [Theory]
    [InlineData("\"ab\"", true)]
    [InlineData("\"a\"", false)]
    [InlineData("1", false)]
    public void A_reference_applies_beside_its_siblings(string instance, bool expected) =>
        AssertVerdict("\"$defs\": {\"text\": {\"type\": \"string\"}}, \"$ref\": \"#/%24defs/text\", \"minLength\": 2", instance, expected);

    [Theory]
    [InlineData("\"maxLength\": 3", "maxLength")]
    [InlineData("\"not\": {}", "not")]
    [InlineData("\"properties\": {\"a\": {\"if\": {\"type\": \"string\"}}}", "if")]
    [InlineData("\"$defs\": {\"unused\": {\"minContains\": 2}}", "minContains")]
    [InlineData("\"contains\": {}, \"maxContains\": 2", "maxContains")]
    [InlineData("\"patternProperties\": {\"^x\": {}}", "patternProperties")]
    [InlineData("\"unevaluatedProperties\": false", "unevaluatedProperties")]
    [InlineData("\"dependentRequired\": {\"a\": [\"b\"]}", "dependentRequired")]
    [InlineData("\"minLenght\": 1", "minLenght")]
    public void An_unknown_keyword_makes_compilation_throw(string keywords, string keyword)
    {
        var refused = Assert.Throws<NotSupportedException>(() => CompiledSchema.Compile(Schema(keywords)));
        Assert.Contains($"'{keyword}'", refused.Message);
    }

    [Theory]
    [InlineData("\"$ref\": \"https://example.org/other.json#/$defs/a\"", "https://example.org/other.json#/$defs/a")]
    [InlineData("\"$ref\": \"#a\"", "#a")]
    [InlineData("\"$defs\": {\"a\": {\"$anchor\": \"a\"}}", "$anchor")]
    [InlineData("\"$ref\": \"#/$defs/missing\"", "#/$defs/missing")]
    [InlineData("\"format\": \"x-credit-card\"", "x-credit-card")]
    [InlineData("\"properties\": {\"a\": {\"$id\": \"https://example.org/a\"}}", "$id")]
    public void What_the_compiled_check_cannot_decide_makes_compilation_throw(string keywords, string named)
    {
        var refused = Assert.Throws<NotSupportedException>(() => CompiledSchema.Compile(Schema(keywords)));
        Assert.Contains(named, refused.Message);
    }

    [Fact]
    public void Annotations_do_not_change_a_verdict()
    {
        const string keywords = "\"$id\": \"urn:example:annotated\", \"title\": \"t\", \"description\": \"d\", \"$comment\": \"c\", " +
                                "\"examples\": [1], \"default\": 2, \"type\": \"string\"";
        AssertVerdict(keywords, "\"x\"", true);
        AssertVerdict(keywords, "1", false);
    }

    [Fact]
    public void Boolean_schemas_take_everything_or_nothing()
    {
        AssertVerdict("\"properties\": {\"a\": true, \"b\": false}", "{\"a\": [1]}", true);
        AssertVerdict("\"properties\": {\"a\": true, \"b\": false}", "{\"b\": null}", false);
    }

    /// <summary>Each project schema compiles to a check that takes a credential it describes and refuses one that misses what it requires.</summary>
    [Theory]
    [InlineData(CredentialSchemas.VcFileName)]
    [InlineData(CredentialSchemas.OpenBadgeFileName)]
    public void The_project_schemas_compile_to_checks_that_take_and_refuse(string file)
    {
        var compiled = CompiledSchema.Compile(CredentialSchemas.ReadSchema(file));
        var badge = Infrastructure.Samples.Badge();
        badge["issuer"] = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = "did:example:issuer", ["type"] = new System.Text.Json.Nodes.JsonArray("Profile"), ["name"] = "Open University of Testing",
        };
        badge["validFrom"] = "2026-01-01T00:00:00Z";
        badge["id"] = "urn:uuid:0b5a4b0e-2a8e-4c61-9d3e-6f1f3f9d2c11";
        badge["name"] ??= "Introduction to Solidity";
        using var described = JsonDocument.Parse(badge.ToJsonString());
        badge.Remove("credentialSubject");
        using var lacking = JsonDocument.Parse(badge.ToJsonString());

        Assert.True(compiled.IsValid(described.RootElement));
        Assert.False(compiled.IsValid(lacking.RootElement));
    }
}
