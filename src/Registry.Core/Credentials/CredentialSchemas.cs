using System.Text.Json;
using Json.Schema;

namespace Registry.Credentials;

/// <summary>
/// The JSON Schemas every issued credential must meet: the W3C VC 2.0 schema for all, and the
/// project's Open Badges 3.0 AchievementCredential schema for badges (<c>schemas/</c>, embedded here).
/// Each schema is built once and shared; evaluation is thread-safe.
/// </summary>
public static class CredentialSchemas
{
    public const string VcFileName = "vc-2.0.schema.json";
    public const string OpenBadgeFileName = "ob-3.0-achievement-credential.schema.json";

    private static readonly JsonSchema VerifiableCredential = Load(VcFileName);
    private static readonly JsonSchema AchievementCredential = Load(OpenBadgeFileName);

    private static readonly EvaluationOptions Quick = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };
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

    private static void Check(JsonSchema schema, string name, JsonElement credential, ValidationErrors errors)
    {
        // The flag pass is cheap; only a credential that fails pays for the tree of every failure.
        if (schema.Evaluate(credential, Quick).IsValid) return;
        var reported = 0;
        Report(schema.Evaluate(credential, Detailed), name, errors, ref reported);
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

    private static JsonSchema Load(string fileName)
    {
        var name = $"Registry.Credentials.Schemas.{fileName}";
        using var stream = typeof(CredentialSchemas).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    }
}
