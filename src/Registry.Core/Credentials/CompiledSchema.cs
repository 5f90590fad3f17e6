using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Registry.Credentials;

/// <summary>
/// A JSON Schema (draft 2020-12) compiled once into a tree of small checks over <see cref="JsonElement"/>
/// that answers one question, valid or not, in a few microseconds. JsonSchema.Net takes about 100 µs per
/// badge even when asked for a bare flag, which alone would cap bulk issuance far below its target; so this
/// check runs first, and only a credential it fails pays for JsonSchema.Net's detailed report
/// (<see cref="CredentialSchemas"/>).
/// </summary>
/// <remarks>
/// <para>
/// The verdict is JsonSchema.Net's (8.0.5, with <c>RequireFormatValidation</c>, as the registry evaluates),
/// keyword for keyword, including where it departs from a plain reading of the specification:
/// <c>minLength</c> counts text elements (grapheme clusters, as <see cref="System.Globalization.StringInfo"/>
/// does) rather than code points; <c>pattern</c> is a .NET <see cref="Regex"/> with
/// <see cref="RegexOptions.ECMAScript"/>; numbers in <c>const</c> and <c>enum</c> are equal when their
/// <see cref="decimal"/> values are (<c>1</c> equals <c>1.0</c>); a number is an <c>integer</c> when it has no
/// fraction (<c>1.0</c> is one); <c>format</c> is decided by JsonSchema.Net's own format implementations,
/// called directly (their verdicts on recent strings are kept, which spares a bulk request most of their cost).
/// The differential test in the test project holds the two verdicts together.
/// </para>
/// <para>
/// Nothing is allocated on the common path but inside those format implementations, for a value not kept.
/// </para>
/// <para>
/// Only the keywords the project's schemas use are known, plus the annotations that never affect a verdict.
/// Any other keyword, a <c>$ref</c> that is not a JSON Pointer into the same document, an <c>$id</c> below the
/// root (it would move the base that references resolve against) or an unknown <c>format</c> makes
/// <see cref="Compile"/> throw, naming it: a schema that gains a keyword must never be checked by half.
/// </para>
/// <para>
/// Where JsonSchema.Net throws while evaluating rather than answering (a number beyond <see cref="decimal"/>
/// compared in <c>const</c>, <c>enum</c> or <c>uniqueItems</c>, a string holding a lone surrogate), this check
/// answers by exact value instead; and where an object has a property name twice, this check reads every
/// occurrence, JsonSchema.Net one. None of these reaches a schema in the registry: <see cref="StrictJson"/>
/// refuses them all before any schema is consulted.
/// </para>
/// </remarks>
public sealed partial class CompiledSchema
{
    private readonly Check _root;

    private CompiledSchema(Check root) => _root = root;

    /// <summary>Compiles a schema document; throws <see cref="NotSupportedException"/> for anything it does not know.</summary>
    public static CompiledSchema Compile(string schemaJson)
    {
        using var document = JsonDocument.Parse(schemaJson);
        return new CompiledSchema(new Compiler(document.RootElement).CompileDocument());
    }

    /// <summary>Whether <paramref name="instance"/> meets the schema.</summary>
    public bool IsValid(JsonElement instance) => _root.IsValid(instance);

    /// <summary>
    /// Turns schema objects into <see cref="SchemaNode"/>s. Nodes are kept by their JSON Pointer in the
    /// document, so a definition that many <c>$ref</c>s name is compiled once, and a reference to a node still
    /// being compiled (a recursive schema) gets the node itself.
    /// </summary>
    private sealed class Compiler(JsonElement root)
    {
        /// <summary>Keywords that only annotate: they never change whether an instance is valid.</summary>
        private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
        {
            "$schema", "title", "description", "$comment", "examples", "default",
        };

        private readonly Dictionary<string, Check> _nodes = new(StringComparer.Ordinal);

        public Check CompileDocument()
        {
            var document = Compile(root, "");
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("$id", out var id) && id.ValueKind != JsonValueKind.String)
                throw Malformed("", "$id", "a string");
            return document;
        }

        private Check Compile(JsonElement schema, string pointer)
        {
            switch (schema.ValueKind)
            {
                case JsonValueKind.True: return Always.Valid;
                case JsonValueKind.False: return Always.Invalid;
                case JsonValueKind.Object: break;
                default: throw new NotSupportedException($"The schema at '{Display(pointer)}' is neither an object nor a boolean.");
            }
            if (_nodes.TryGetValue(pointer, out var known)) return known;
            var node = new SchemaNode();
            _nodes[pointer] = node;

            var checks = new List<(int Cost, Check Check)>();
            List<(string, Check)>? properties = null;
            string[]? required = null;
            Check? additional = null;
            foreach (var keyword in schema.EnumerateObject())
            {
                var value = keyword.Value;
                var at = FieldPointer.Child(pointer, keyword.Name);
                switch (keyword.Name)
                {
                    case var name when Annotations.Contains(name):
                        break;
                    case "$id":
                        if (pointer.Length != 0)
                            throw new NotSupportedException($"'$id' at '{Display(pointer)}' starts a new schema resource, which the compiled check does not support.");
                        break;
                    case "$defs":
                        // Every definition is compiled, referenced or not, so that no keyword anywhere goes unexamined.
                        foreach (var definition in Object(value, pointer, "$defs").EnumerateObject())
                            Compile(definition.Value, FieldPointer.Child(at, definition.Name));
                        break;
                    case "$ref":
                        checks.Add((4, new RefCheck(Reference(value, pointer))));
                        break;
                    case "type":
                        checks.Add((0, new TypeCheck(Types(value, pointer))));
                        break;
                    case "const":
                        checks.Add((1, new ConstCheck([new Constant(value)])));
                        break;
                    case "enum":
                        if (value.ValueKind != JsonValueKind.Array) throw Malformed(pointer, "enum", "an array");
                        checks.Add((1, new ConstCheck(value.EnumerateArray().Select(v => new Constant(v)).ToArray())));
                        break;
                    case "required":
                        required = Strings(value, pointer, "required");
                        break;
                    case "minProperties":
                        checks.Add((1, new MinPropertiesCheck(Count(value, pointer, "minProperties"))));
                        break;
                    case "minItems":
                        checks.Add((1, new MinItemsCheck(Count(value, pointer, "minItems"))));
                        break;
                    case "minLength":
                        checks.Add((1, new MinLengthCheck(Count(value, pointer, "minLength"))));
                        break;
                    case "minimum":
                        if (value.ValueKind != JsonValueKind.Number) throw Malformed(pointer, "minimum", "a number");
                        checks.Add((1, new MinimumCheck(value.Clone())));
                        break;
                    case "pattern":
                        if (value.ValueKind != JsonValueKind.String) throw Malformed(pointer, "pattern", "a string");
                        // The options JsonSchema.Net compiles every pattern with.
                        checks.Add((2, new PatternCheck(new Regex(value.GetString()!, RegexOptions.Compiled | RegexOptions.ECMAScript))));
                        break;
                    case "format":
                        checks.Add((5, new FormatCheck(KnownFormat(value, pointer))));
                        break;
                    case "uniqueItems":
                        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Malformed(pointer, "uniqueItems", "a boolean");
                        if (value.ValueKind == JsonValueKind.True) checks.Add((3, new UniqueItemsCheck()));
                        break;
                    case "properties":
                        properties = Object(value, pointer, "properties").EnumerateObject()
                            .Select(p => (p.Name, Compile(p.Value, FieldPointer.Child(at, p.Name)))).ToList();
                        break;
                    case "additionalProperties":
                        additional = Compile(value, at);
                        break;
                    case "propertyNames":
                        checks.Add((3, new PropertyNamesCheck(Compile(value, at))));
                        break;
                    case "prefixItems":
                        checks.Add((3, new PrefixItemsCheck(Schemas(value, at, pointer, "prefixItems"))));
                        break;
                    case "items":
                        // In 2020-12 'items' covers the elements after those that 'prefixItems' describes.
                        var prefix = schema.TryGetProperty("prefixItems", out var prefixItems) && prefixItems.ValueKind == JsonValueKind.Array
                            ? prefixItems.GetArrayLength()
                            : 0;
                        if (value.ValueKind == JsonValueKind.Array) throw Malformed(pointer, "items", "a schema (an array of schemas is 'prefixItems' in 2020-12)");
                        checks.Add((3, new ItemsCheck(prefix, Compile(value, at))));
                        break;
                    case "contains":
                        checks.Add((3, new ContainsCheck(Compile(value, at))));
                        break;
                    case "allOf":
                        checks.Add((4, new AllOfCheck(Schemas(value, at, pointer, "allOf"))));
                        break;
                    case "anyOf":
                        checks.Add((4, new AnyOfCheck(Schemas(value, at, pointer, "anyOf"))));
                        break;
                    case "oneOf":
                        checks.Add((4, new OneOfCheck(Schemas(value, at, pointer, "oneOf"))));
                        break;
                    default:
                        throw new NotSupportedException(
                            $"The schema keyword '{keyword.Name}' at '{Display(pointer)}' is not supported by the compiled check; " +
                            "teach CompiledSchema the keyword (and its differential test) before the schema uses it.");
                }
            }
            // 'true' as additionalProperties allows what is allowed anyway.
            if (additional == Always.Valid) additional = null;
            if (properties is not null || required is not null || additional is not null)
                checks.Add((3, new PropertiesCheck(properties ?? [], required ?? [], additional)));
            // Cheap checks first, so that an invalid instance is usually refused before a format is parsed.
            node.Checks = checks.OrderBy(c => c.Cost).Select(c => c.Check).ToArray();
            return node;
        }

        /// <summary>The node a <c>$ref</c> names: only <c>#</c> followed by a JSON Pointer into this document.</summary>
        private Check Reference(JsonElement value, string pointer)
        {
            if (value.ValueKind != JsonValueKind.String) throw Malformed(pointer, "$ref", "a string");
            var reference = value.GetString()!;
            if (!reference.StartsWith('#') || (reference.Length > 1 && reference[1] != '/'))
                throw new NotSupportedException($"'$ref' '{reference}' at '{Display(pointer)}' is not a JSON Pointer into the same document, the only form the compiled check supports.");
            var target = root;
            var canonical = "";
            // The fragment is URI-encoded; each reference token then unescapes ~1 and ~0 (RFC 6901).
            foreach (var token in Uri.UnescapeDataString(reference[1..]).Split('/').Skip(1))
            {
                var name = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (target.ValueKind == JsonValueKind.Object && target.TryGetProperty(name, out var child))
                    target = child;
                else if (target.ValueKind == JsonValueKind.Array && int.TryParse(name, out var index) && index >= 0 && index < target.GetArrayLength())
                    target = target[index];
                else
                    throw new NotSupportedException($"'$ref' '{reference}' at '{Display(pointer)}' names nothing in the document.");
                canonical = FieldPointer.Child(canonical, name);
            }
            return Compile(target, canonical);
        }

        private Check[] Schemas(JsonElement value, string at, string pointer, string keyword)
        {
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0) throw Malformed(pointer, keyword, "a non-empty array of schemas");
            return value.EnumerateArray().Select((s, i) => Compile(s, FieldPointer.Child(at, i))).ToArray();
        }

        private static JsonType Types(JsonElement value, string pointer)
        {
            var names = value.ValueKind switch
            {
                JsonValueKind.String => [value.GetString()!],
                JsonValueKind.Array when value.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String) => value.EnumerateArray().Select(t => t.GetString()!).ToArray(),
                _ => throw Malformed(pointer, "type", "a type name or an array of them"),
            };
            var types = (JsonType)0;
            foreach (var name in names)
                types |= name switch
                {
                    "null" => JsonType.Null,
                    "boolean" => JsonType.Boolean,
                    "object" => JsonType.Object,
                    "array" => JsonType.Array,
                    "number" => JsonType.Number,
                    "string" => JsonType.String,
                    "integer" => JsonType.Integer,
                    _ => throw Malformed(pointer, "type", "made of JSON Schema type names"),
                };
            return types;
        }

        private static string[] Strings(JsonElement value, string pointer, string keyword) =>
            value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String)
                ? value.EnumerateArray().Select(s => s.GetString()!).ToArray()
                : throw Malformed(pointer, keyword, "an array of strings");

        /// <summary>A non-negative integer keyword, read as JsonSchema.Net reads it (so <c>1.0</c> is 1).</summary>
        private static long Count(JsonElement value, string pointer, string keyword)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number != Math.Truncate(number) || number < 0)
                throw Malformed(pointer, keyword, "a non-negative integer");
            return (long)number;
        }

        private static JsonElement Object(JsonElement value, string pointer, string keyword) =>
            value.ValueKind == JsonValueKind.Object ? value : throw Malformed(pointer, keyword, "an object");

        /// <summary>One of the formats JsonSchema.Net implements, found where its <c>format</c> keyword finds it.</summary>
        private static Format KnownFormat(JsonElement value, string pointer)
        {
            if (value.ValueKind != JsonValueKind.String) throw Malformed(pointer, "format", "a string");
            var format = FormatRegistry.Global.Get(value.GetString()!);
            return format is UnknownFormat
                ? throw new NotSupportedException($"The format '{value.GetString()}' at '{Display(pointer)}' is unknown to JsonSchema.Net, so the compiled check cannot decide it.")
                : format;
        }

        private static NotSupportedException Malformed(string pointer, string keyword, string expected) =>
            new($"'{keyword}' at '{Display(pointer)}' must be {expected}.");

        private static string Display(string pointer) => "#" + pointer;
    }
}
