using System.Text.Json;
using Json.Schema;

namespace Registry.Credentials;

/// <summary>
/// The JSON Schemas every issued credential must meet: the W3C VC 2.0 schema for all, and the
/// project's Open Badges 3.0 AchievementCredential schema for badges (<c>schemas/</c>, embedded here).
/// Each schema is built once and shared; evaluation is thread-safe.
/// </summary>
/// <remarks>
/// Each schema is held twice: compiled (<see cref="CompiledSchema"/>), which decides in microseconds whether a
/// credential passes, and as JsonSchema.Net builds it, which is asked only about a credential that fails, for the
/// report that names each failing field. The two agree on every verdict; the report is JsonSchema.Net's alone.
/// </remarks>
public static class CredentialSchemas
{
    public const string VcFileName = "vc-2.0.schema.json";
    public const string OpenBadgeFileName = "ob-3.0-achievement-credential.schema.json";

    internal static readonly SchemaPair VerifiableCredential = SchemaPair.Load(VcFileName);
    internal static readonly SchemaPair AchievementCredential = SchemaPair.Load(OpenBadgeFileName);

    private static readonly EvaluationOptions Detailed = new() { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };

    /// <summary>
    /// Checks a credential against the VC 2.0 schema and, when <paramref name="openBadge"/>, the
    /// Open Badges 3.0 one; adds each failure to <paramref name="errors"/> under its field's JSON Pointer.
    /// </summary>
    public static void Validate(JsonElement credential, bool openBadge, ValidationErrors errors)
    {
        Check(VerifiableCredential, "the W3C VC 2.0 JSON Schema", credential, errors);
        if (openBadge) ValidateOpenBadge(credential, errors);
    }

    /// <summary>
    /// Checks a badge against the Open Badges 3.0 AchievementCredential schema only: what submission runs.
    /// (What the VC 2.0 schema requires, <see cref="CredentialValidator"/> checks by hand, at a fraction of the cost.)
    /// </summary>
    public static void ValidateOpenBadge(JsonElement credential, ValidationErrors errors) =>
        Check(AchievementCredential, "the Open Badges 3.0 AchievementCredential schema", credential, errors);

    private static void Check(SchemaPair schema, string name, JsonElement credential, ValidationErrors errors)
    {
        // The compiled pass is cheap; only a credential that fails pays for the tree of every failure.
        if (schema.Compiled.IsValid(credential)) return;
        var results = schema.Evaluator.Evaluate(credential, Detailed);
        // JsonSchema.Net has the last word on a failure, so the compiled check can only ever speed a verdict up.
        if (results.IsValid) return;
        var reported = 0;
        Report(results, name, errors, ref reported);
        if (reported == 0) errors.Add(FieldPointer.Document, $"does not meet {name}.");
    }

    /// <summary>
    /// Names each failing keyword at the field it concerns. The branches of a failed <c>anyOf</c> or
    /// <c>oneOf</c> are not listed one by one (each alternative would add its own complaint); the field
    /// is named once as matching none of its allowed forms.
    /// </summary>
    private static void Report(EvaluationResults node, string schemaName, ValidationErrors errors, ref int reported)
    {
        if (node.IsValid) return;
        var pointer = node.InstanceLocation.ToString();
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            errors.Add(pointer, $"does not meet {schemaName} ({keyword}): {message}");
            reported++;
        }
        var alternatives = false;
        foreach (var child in node.Details ?? [])
        {
            if (IsAlternative(child)) alternatives |= !child.IsValid;
            else Report(child, schemaName, errors, ref reported);
        }
        if (alternatives && node.Errors is null && !(node.Details ?? []).Any(c => !IsAlternative(c) && !c.IsValid))
        {
            errors.Add(pointer, $"does not meet {schemaName}: the value has none of the forms allowed here.");
            reported++;
        }
    }

    private static bool IsAlternative(EvaluationResults node)
    {
        var segments = node.EvaluationPath.ToString().Split('/');
        return segments.Length >= 2 && segments[^2] is "anyOf" or "oneOf";
    }

    /// <summary>One schema, compiled for the verdict and built by JsonSchema.Net for the report.</summary>
    internal sealed record SchemaPair(CompiledSchema Compiled, JsonSchema Evaluator)
    {
        public static SchemaPair Load(string fileName)
        {
            var text = ReadSchema(fileName);
            return new SchemaPair(CompiledSchema.Compile(text), JsonSchema.FromText(text));
        }
    }

    /// <summary>The text of an embedded schema file.</summary>
    internal static string ReadSchema(string fileName)
    {
        var name = $"Registry.Credentials.Schemas.{fileName}";
        using var stream = typeof(CredentialSchemas).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
