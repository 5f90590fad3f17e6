using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Registry.Api.Reference;
using Registry.Credentials;
using Registry.Identity;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Credentials;

/// <summary>
/// The compiled schemas against JsonSchema.Net, the reference they stand in for: thousands of credentials
/// mutated from the samples, each judged by both schemas both ways, must get the same verdict every time.
/// The mutations are seeded, so a failure repeats; they reach every field of the samples, and they make
/// valid and invalid credentials alike, so the comparison is never one-sided.
/// </summary>
public sealed class CompiledSchemaDifferentialTests
{
    private const int Seed = 20_260_115;
    private const int RandomDocuments = 8_000;
    private const double LeastShare = 0.2;

    private static readonly EvaluationOptions Flag = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };
    private static readonly IssuerDid Did = IssuerDid.For(31337, "0x" + new string('a', 40));

    private static readonly (string Name, CredentialSchemas.SchemaPair Schema)[] Schemas =
    [
        ("VC 2.0", CredentialSchemas.VerifiableCredential),
        ("OB 3.0", CredentialSchemas.AchievementCredential),
    ];

    [Fact]
    public void The_compiled_schemas_agree_with_JsonSchema_Net_on_mutated_credentials()
    {
        var random = new Random(Seed);
        var originals = Originals();
        var trial = new Trial();

        // Every field of every sample, with every mutation that applies to it.
        foreach (var (name, original) in originals)
        foreach (var location in Walk(Holder(original.DeepClone())))
        foreach (var mutation in Mutations)
        {
            var holder = Holder(original.DeepClone());
            var target = Walk(holder).Single(l => l.Pointer == location.Pointer);
            var description = mutation(target, holder, random);
            if (description is null) continue;
            trial.Judge(holder, original, $"{name} {location.Pointer}: {description}", [$"{name} {location.Pointer}"]);
        }

        // Then documents with several mutations at random places, which may land inside one another.
        for (var i = 0; i < RandomDocuments; i++)
        {
            var (name, original) = originals[random.Next(originals.Count)];
            var holder = Holder(original.DeepClone());
            var steps = new List<string>();
            var touched = new List<string>();
            for (var n = 1 + random.Next(4); steps.Count < n;)
            {
                // Shallow places are picked as often as deep ones, by depth first: the VC 2.0 schema checks little below the top.
                var locations = Walk(holder);
                var depth = random.Next(locations.Max(l => Depth(l.Pointer)) + 1);
                var atDepth = locations.Where(l => Depth(l.Pointer) == depth).ToList();
                var target = atDepth[random.Next(atDepth.Count)];
                var description = Mutations[random.Next(Mutations.Length)](target, holder, random);
                if (description is null) continue;
                steps.Add($"{target.Pointer}: {description}");
                touched.Add($"{name} {target.Pointer}");
            }
            trial.Judge(holder, original, $"{name} " + string.Join("; ", steps), touched);
        }

        Assert.True(trial.Disagreements.Count == 0,
            $"{trial.Disagreements.Count} of {trial.Documents} documents judged differently; the first:\n" + string.Join("\n", trial.Disagreements.Take(10)));

        Assert.True(trial.Unjudged.Count < trial.Documents / 100, $"JsonSchema.Net could not judge {trial.Unjudged.Count} documents");
        foreach (var unjudged in trial.Unjudged)
            Assert.Throws<InexactJsonException>(() => StrictJson.Parse(unjudged));

        var fields = originals.SelectMany(o => Walk(Holder(o.Document.DeepClone())).Select(l => $"{o.Name} {l.Pointer}")).ToHashSet();
        Assert.True(fields.Count > 150, $"only {fields.Count} fields in the samples");
        Assert.Empty(fields.Except(trial.Mutated).Order());

        foreach (var (schema, _) in Schemas)
        {
            var valid = trial.Valid[schema];
            Assert.True(valid >= LeastShare * trial.Documents && trial.Documents - valid >= LeastShare * trial.Documents,
                $"{schema}: {valid} of {trial.Documents} mutated documents valid; both verdicts need at least {LeastShare:P0}");
        }
    }

    /// <summary>The verdicts so far: each document judged by both schemas, both ways.</summary>
    private sealed class Trial
    {
        public int Documents { get; private set; }
        public Dictionary<string, int> Valid { get; } = Schemas.ToDictionary(s => s.Name, _ => 0);
        public List<string> Disagreements { get; } = [];
        public HashSet<string> Mutated { get; } = [];
        public List<string> Unjudged { get; } = [];

        public void Judge(JsonArray holder, JsonNode original, string description, IEnumerable<string> mutated)
        {
            var document = holder[0];
            // A mutation that changed nothing tests nothing; it counts neither as a document nor for its field.
            if (JsonNode.DeepEquals(document, original)) return;
            Documents++;
            Mutated.UnionWith(mutated);
            using var parsed = JsonDocument.Parse(document?.ToJsonString() ?? "null");
            foreach (var (name, schema) in Schemas)
            {
                var actual = schema.Compiled.IsValid(parsed.RootElement);
                bool expected;
                try
                {
                    expected = schema.Evaluator.Evaluate(parsed.RootElement, Flag).IsValid;
                }
                catch (FormatException)
                {
                    // JsonSchema.Net reads some numbers as decimals and throws on those beyond one (1e400 as an
                    // item of @context, under uniqueItems). It has no verdict to compare with; the registry refuses
                    // such a number before any schema, which the test holds it to below.
                    Unjudged.Add(document!.ToJsonString());
                    continue;
                }
                if (expected) Valid[name]++;
                if (expected != actual)
                    Disagreements.Add($"{name}: JsonSchema.Net says {(expected ? "valid" : "invalid")}, the compiled check {(actual ? "valid" : "invalid")}, after {description}\n  {document?.ToJsonString()}");
            }
        }
    }

    /// <summary>The samples as the registry stores them: completed with its issuer, context and status, and one as handed out, with its proof.</summary>
    private static List<(string Name, JsonNode Document)> Originals() =>
    [
        ("badge", Issued(Samples.Badge())),
        ("awkward", Issued(Samples.AwkwardBadge())),
        ("plain", Issued(Samples.Plain())),
        ("portable", CredentialExamples.Portable()),
    ];

    private static JsonObject Issued(JsonObject submitted)
    {
        RegistryFields.Apply(submitted, "urn:uuid:6f1d3c9e-1c39-4b7e-9d6c-3f7f5a0c2b11", new IssuerProfileFields(ProofSets.StrangerDidKey, "Schema College", "https://example.edu"),
            Samples.StatusListEntry(), CredentialStatusEntry.For(Did, "0x" + new string('b', 40)));
        return submitted;
    }

    /// <summary>The document inside a one-item array, so that even the whole document has a parent to be replaced in.</summary>
    private static JsonArray Holder(JsonNode document) => [document];

    /// <summary>A place in a document: the value there (null for JSON null), where it hangs, and its JSON Pointer.</summary>
    private sealed record Location(JsonNode Parent, string? Name, int Index, JsonNode? Value, string Pointer)
    {
        public void Replace(JsonNode? value)
        {
            if (Parent is JsonObject parent) parent[Name!] = value;
            else ((JsonArray)Parent)[Index] = value;
        }
    }

    /// <summary>Every place in the held document, the document itself first (its pointer is empty).</summary>
    private static List<Location> Walk(JsonArray holder)
    {
        var locations = new List<Location>();
        Visit(new Location(holder, null, 0, holder[0], ""));
        return locations;

        void Visit(Location location)
        {
            locations.Add(location);
            switch (location.Value)
            {
                case JsonObject value:
                    foreach (var (name, child) in value.ToList())
                        Visit(new Location(value, name, -1, child, FieldPointer.Child(location.Pointer, name)));
                    break;
                case JsonArray value:
                    for (var i = 0; i < value.Count; i++)
                        Visit(new Location(value, null, i, value[i], FieldPointer.Child(location.Pointer, i)));
                    break;
            }
        }
    }

    /// <summary>A change at one place; returns what it did, or null when it does not apply there.</summary>
    private delegate string? Mutation(Location at, JsonArray holder, Random random);

    private static readonly Mutation[] Mutations =
    [
        Remove, OtherType, OtherString, OtherNumber, Empty, Wrap, Unwrap, Append, Duplicate, Reverse,
        AddField, AddField, Rename, Graft, SwapName,
    ];

    private static string? Remove(Location at, JsonArray holder, Random random)
    {
        switch (at.Parent)
        {
            case JsonObject parent:
                parent.Remove(at.Name!);
                return "removed";
            case JsonArray parent when parent != holder:
                parent.RemoveAt(at.Index);
                return "removed";
            default:
                return null;
        }
    }

    /// <summary>A value of another JSON type: the type changes, and with it which alternatives of a oneOf match.</summary>
    private static string? OtherType(Location at, JsonArray holder, Random random)
    {
        var kind = Kind(at.Value);
        var candidates = TypeSwaps.Where(v => Kind(JsonNode.Parse(v)) != kind).ToArray();
        return Set(at, candidates[random.Next(candidates.Length)]);
    }

    private static string? OtherString(Location at, JsonArray holder, Random random)
    {
        if (Kind(at.Value) != JsonValueKind.String) return null;
        var current = at.Value!.GetValue<string>();
        // Near misses of the current text as well as strings from elsewhere.
        string[] near = [current.ToUpperInvariant(), current + " ", " " + current, current[..Math.Min(1, current.Length)], current + "é", current + "/x#y"];
        var text = random.Next(3) == 0 ? near[random.Next(near.Length)] : Strings[random.Next(Strings.Length)];
        return Set(at, JsonSerializer.Serialize(text));
    }

    private static string? OtherNumber(Location at, JsonArray holder, Random random) =>
        Kind(at.Value) is JsonValueKind.Number or JsonValueKind.String || random.Next(4) == 0
            ? Set(at, Numbers[random.Next(Numbers.Length)])
            : null;

    private static string? Empty(Location at, JsonArray holder, Random random) => Kind(at.Value) switch
    {
        JsonValueKind.String => Set(at, "\"\""),
        JsonValueKind.Array => Set(at, "[]"),
        JsonValueKind.Object => Set(at, "{}"),
        _ => null,
    };

    private static string? Wrap(Location at, JsonArray holder, Random random)
    {
        var value = at.Value?.DeepClone();
        at.Replace(new JsonArray(value));
        return "wrapped in an array";
    }

    private static string? Unwrap(Location at, JsonArray holder, Random random)
    {
        if (at.Value is not JsonArray { Count: > 0 } array) return null;
        at.Replace(array[random.Next(array.Count)]?.DeepClone());
        return "replaced by one of its items";
    }

    private static string? Append(Location at, JsonArray holder, Random random)
    {
        if (at.Value is not JsonArray array) return null;
        var text = random.Next(2) == 0 ? JsonSerializer.Serialize(Strings[random.Next(Strings.Length)]) : TypeSwaps[random.Next(TypeSwaps.Length)];
        if (random.Next(2) == 0) array.Insert(0, JsonNode.Parse(text));
        else array.Add(JsonNode.Parse(text));
        return $"{text} added";
    }

    private static string? Duplicate(Location at, JsonArray holder, Random random)
    {
        if (at.Value is not JsonArray { Count: > 0 } array) return null;
        var item = array[random.Next(array.Count)];
        // A number's copy differs in its notation only (1 and 1.0), which uniqueItems counts as a repeat at the top level only.
        array.Add(item is null ? null : JsonNode.Parse(Renotate(item.ToJsonString())));
        return "an item repeated";
    }

    private static string? Reverse(Location at, JsonArray holder, Random random)
    {
        if (at.Value is not JsonArray { Count: > 1 } array) return null;
        var items = array.Select(i => i?.DeepClone()).Reverse().ToArray();
        at.Replace(new JsonArray(items));
        return "reversed";
    }

    /// <summary>A field the schemas know (often one the samples lack) or an extension, set on an object.</summary>
    private static string? AddField(Location at, JsonArray holder, Random random)
    {
        if (at.Value is not JsonObject value) return null;
        var (name, texts) = Fields[random.Next(Fields.Length)];
        var text = texts[random.Next(texts.Length)];
        value[name] = JsonNode.Parse(text);
        return $"{name} set to {text}";
    }

    private static string? Rename(Location at, JsonArray holder, Random random)
    {
        if (at.Parent is not JsonObject parent || at.Name is not { } name) return null;
        string[] names = [name.ToUpperInvariant(), name + "s", "x-" + name, "@" + name, ""];
        var renamed = names[random.Next(names.Length)];
        if (parent.ContainsKey(renamed)) return null;
        parent.Remove(name);
        parent[renamed] = at.Value;
        return $"renamed to '{renamed}'";
    }

    /// <summary>A copy of another part of the document put here: an issuer where an image goes, an achievement in a list of results.</summary>
    private static string? Graft(Location at, JsonArray holder, Random random)
    {
        var others = Walk(holder).Where(l => l.Pointer != at.Pointer && l.Pointer.Length > 0).ToList();
        if (others.Count == 0) return null;
        var source = others[random.Next(others.Count)];
        at.Replace(source.Value?.DeepClone());
        return $"replaced by a copy of {source.Pointer}";
    }

    /// <summary>A type name, context or status swapped for another the schemas know: right shape, wrong place.</summary>
    private static string? SwapName(Location at, JsonArray holder, Random random)
    {
        if (Kind(at.Value) != JsonValueKind.String) return null;
        return Set(at, JsonSerializer.Serialize(Names[random.Next(Names.Length)]));
    }

    private static string Set(Location at, string json)
    {
        at.Replace(JsonNode.Parse(json));
        return $"set to {json}";
    }

    private static int Depth(string pointer) => pointer.Count(c => c == '/');

    private static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    /// <summary>The same JSON with its integers written as decimals (1 as 1.0), for copies that differ in notation only.</summary>
    private static string Renotate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Number && !json.Contains('.') && !json.Contains('e') ? json + ".0" : json;
    }

    private static readonly string[] TypeSwaps =
    [
        "null", "true", "false", "0", "1.5", "\"\"", "\"text\"", "[]", "{}", "[\"x\"]", "[{}]", "[[]]",
        "{\"id\": \"https://example.org/x\"}", "{\"type\": \"Image\", \"id\": \"https://example.org/i.png\"}",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-0", "0.0", "1", "1.0", "-1", "2.5", "0.0000001", "-0.0000001", "1e2", "1E+2", "1e400", "-1e400", "1e-400", "-1e-400",
        "9007199254740993", "12345678901234567890123456789012", "0.1", "-2.5e-3",
    ];

    private static readonly string[] Strings =
    [
        "", " ", "x", "Zoë ✓ 溶接", "𝔠", "e\u0301", "🇩🇪", "\r\n", "\u2028", "tab\there", "quote\"d", "back\\slash",
        "not a uri", "https://example.org/x", "https://example.edu", "http://exa mple.org", "https://bücher.example/", "https://example.org/a|b",
        "https://[::1]:8080/p", "https://user@[::1]/", "mailto:someone@example.org", "//example.org/relative", "/relative/path", "relative",
        "https:", "urn:uuid:0b0e6f4e-3f5c-4c55-9d43-6f1f0d1a2b3c", "did:example:learner-2", "did:pkh:eip155:1:0x0000000000000000000000000000000000000001",
        "data:image/png;base64,iVBORw0KGgo=", "ftp://example.org/file.txt", "https://example.org/{template}",
        "2026-01-15T09:00:00Z", "2026-01-15T09:00:00.123+01:00", "2026-01-15T09:00:00-14:00", "2026-01-15", "09:00:00Z", "2026-13-01T00:00:00Z",
        "2026-02-30T09:00:00Z", "2024-02-29T09:00:00Z", "2026-01-15T24:00:00Z", "2026-01-15t09:00:00z", "2026-01-15 09:00:00Z",
        "2026-01-15T09:00:60Z", "2026-01-15T09:00:00", "2026-01-15T09:00:00+1:00", "12026-01-15T09:00:00Z", "2026-01-15T09:00:00.Z",
        "2026-01-15T09:00:00+15:00", "2026-01-15T24:00:00.000Z", "2016-12-31T23:59:60Z",
    ];

    /// <summary>Names with a meaning somewhere in the schemas: types, contexts, statuses.</summary>
    private static readonly string[] Names =
    [
        "VerifiableCredential", "OpenBadgeCredential", "AchievementCredential", "Profile", "Achievement", "AchievementSubject", "Result",
        "Evidence", "Image", "Person", "image", "Completed", "Enrolled", "Withdrew", "Nearly", "completed",
        "https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/v1", "https://www.w3.org/2018/credentials/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.1.10.json", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.jsonx", "http://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\n",
    ];

    /// <summary>Fields the schemas name (and some they do not), with values that meet their rules and values that break them.</summary>
    private static readonly (string Name, string[] Values)[] Fields =
    [
        ("validUntil", ["\"2027-01-15T09:00:00Z\"", "\"2027-01-15\"", "\"2027-01-15T09:00:00.5-03:30\"", "1"]),
        ("awardedDate", ["\"2026-01-15T09:00:00Z\"", "\"yesterday\""]),
        ("activityEndDate", ["\"2026-01-15T09:00:00Z\"", "\"2026-01-15T09:00\""]),
        ("credentialSchema", ["{\"id\": \"https://example.org/s.json\", \"type\": \"JsonSchema\"}", "[{\"id\": \"https://example.org/s.json\", \"type\": [\"JsonSchema\"]}]",
            "{\"type\": \"JsonSchema\"}", "[]", "{}", "[{\"type\": []}]"]),
        ("proof", ["{\"type\": \"DataIntegrityProof\", \"proofPurpose\": \"assertionMethod\", \"verificationMethod\": \"did:example:issuer#key-1\"}",
            "[{\"type\": \"DataIntegrityProof\", \"proofPurpose\": \"assertionMethod\", \"verificationMethod\": [{\"id\": \"did:example:issuer#key-1\", \"type\": \"Multikey\", \"controller\": \"did:example:issuer\"}]}]",
            "{\"type\": \"DataIntegrityProof\", \"proofPurpose\": \"assertionMethod\", \"verificationMethod\": []}",
            "{\"type\": \"DataIntegrityProof\", \"proofPurpose\": \"assertionMethod\", \"verificationMethod\": [{\"id\": \"k\"}]}", "{\"type\": \"DataIntegrityProof\"}"]),
        ("termsOfUse", ["{\"type\": \"IssuerPolicy\"}", "[{\"type\": \"IssuerPolicy\", \"id\": \"https://example.org/p\"}]", "{\"id\": \"x\"}", "[]"]),
        ("refreshService", ["{\"id\": \"https://example.org/r\", \"type\": \"ManualRefresh\"}", "{\"type\": \"ManualRefresh\"}", "[{\"id\": \"r\", \"type\": [\"A\", \"B\"]}]"]),
        ("credentialStatus", ["{\"type\": \"StatusList2021Entry\", \"id\": \"https://example.org/s#1\"}", "[{\"type\": \"X\"}]", "{\"id\": \"x\"}", "{\"type\": [\"X\"]}"]),
        ("evidence", ["[{\"type\": [\"Evidence\"], \"id\": \"https://example.org/e\"}]", "{\"type\": \"Evidence\"}", "[{\"type\": \"Evidence\", \"narrative\": 5}]", "[]"]),
        ("image", ["{\"id\": \"https://example.org/i.png\", \"type\": \"Image\"}", "{\"id\": \"https://example.org/i.png\", \"type\": [\"Image\"]}",
            "{\"id\": \"i.png\", \"type\": \"Image\"}", "\"https://example.org/i.png\"", "{\"id\": \"https://example.org/i.png\", \"type\": \"Image\", \"caption\": 1}"]),
        ("result", ["[{\"type\": [\"Result\"], \"status\": \"Enrolled\"}]", "[{\"type\": \"Result\", \"status\": \"Done\"}]", "[{\"type\": [\"Result\"], \"achievedLevel\": \"level 2\"}]",
            "[{\"type\": [\"Score\", \"Result\"], \"value\": \"9\", \"resultDescription\": \"https://example.org/rd\"}]", "{\"type\": \"Result\"}"]),
        ("creditsEarned", ["3", "0", "-0.5", "1e-400", "\"3\"", "1.0"]),
        ("creditsAvailable", ["10", "-1", "2.50", "1e400"]),
        ("url", ["\"https://example.org\"", "\"example.org\"", "\"\""]),
        ("email", ["\"someone@example.org\"", "7"]),
        ("tag", ["[\"welding\", \"steel\"]", "[\"welding\", 2]", "[]", "\"welding\""]),
        ("creator", ["{\"id\": \"https://example.org/c\", \"type\": [\"Profile\"]}", "{\"id\": \"https://example.org/c\", \"type\": \"Profile\"}", "{\"id\": \"https://example.org/c\", \"type\": [\"Org\"]}", "{}"]),
        ("narrative", ["\"Did it.\"", "\"\"", "3"]),
        ("status", ["\"Completed\"", "\"Provisional\"", "\"Passed\"", "null"]),
        ("criteria", ["{\"id\": \"https://example.org/criteria\"}", "{\"narrative\": \"x\"}", "{}", "{\"id\": \"https://example.org/c\", \"narrative\": \"\"}"]),
        ("achievement", ["{\"id\": \"https://example.org/a\", \"type\": \"Achievement\", \"name\": \"A\", \"description\": \"D\", \"criteria\": {\"narrative\": \"N\"}}", "{}"]),
        ("id", ["\"https://example.org/id\"", "\"urn:example:id\"", "\"id\"", "\"\"", "1"]),
        ("type", ["[\"VerifiableCredential\", \"AchievementCredential\"]", "\"VerifiableCredential\"", "[\"Profile\"]", "[\"Achievement\"]", "[]", "[\"\"]"]),
        ("name", ["\"A name\"", "\"\"", "[\"A name\"]"]),
        ("description", ["\"Some words\"", "7"]),
        ("@context", ["[\"https://www.w3.org/ns/credentials/v2\", \"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"]", "[\"https://www.w3.org/ns/credentials/v2\"]",
            "[\"https://www.w3.org/ns/credentials/v2\", {\"@vocab\": \"https://example.org/#\"}, \"https://purl.imsglobal.org/spec/ob/v3p0/context.json\"]",
            "[\"https://www.w3.org/ns/credentials/v2\", \"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\", {\"\": \"x\"}]",
            "[\"https://www.w3.org/ns/credentials/v2\", \"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\", {}]",
            "[\"https://www.w3.org/ns/credentials/v2\", \"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\", {\"a\": 1}, {\"a\": 1.0}]",
            "[\"https://www.w3.org/ns/credentials/v2\", \"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\", {\"a\": 1}, {\"a\": 1}]"]),
        ("x-extension", ["1", "\"anything\"", "{\"nested\": [1, 2]}", "null"]),
        ("licenseNumber", ["\"L-1\"", "1"]),
        ("verificationMethod", ["\"did:example:issuer#key-1\"", "[]", "[{\"id\": \"a\", \"type\": \"b\", \"controller\": \"c\"}]", "[\"did:example:issuer#key-1\"]"]),
        ("proofPurpose", ["\"assertionMethod\"", "1"]),
    ];
}
