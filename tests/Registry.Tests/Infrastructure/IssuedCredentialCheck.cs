using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Registry.LinkedData;

namespace Registry.Tests.Infrastructure;

/// <summary>
/// Sits in every test client: each portable credential a test fetches from the registry is checked
/// against the W3C VC 2.0 JSON Schema (a VC 1.1 credential, which has none: its issuanceDate rule), the registry's portable credential schema and, for badges, the project's Open Badges 3.0 schema (read from
/// <c>schemas/</c> by JsonSchema.Net, not through the registry's own code), and written to
/// <see cref="Folder"/> for the standard-tools test in Node.js (tests/interop/standard-tools.test.js).
/// A credential that fails a schema, or that the registry's JSON-LD processor refuses in safe mode, fails
/// the test that fetched it; the dataset the processor makes of it is written beside it (<c>.nq</c>).
/// </summary>
public sealed partial class IssuedCredentialCheck : DelegatingHandler
{
    /// <summary>REGISTRY_ISSUED_CREDENTIALS_DIR when set (scripts/test.sh sets it), else a folder of this run.</summary>
    public static string Folder { get; } = Environment.GetEnvironmentVariable("REGISTRY_ISSUED_CREDENTIALS_DIR") is { Length: > 0 } configured
        ? Directory.CreateDirectory(configured).FullName
        : TempFolder.Create();

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
    private static readonly JsonSchema VcSchema = LoadSchema("vc-2.0.schema.json");
    private static readonly JsonSchema BadgeSchema = LoadSchema("ob-3.0-achievement-credential.schema.json");
    private static readonly JsonSchema PortableSchema = LoadSchema("portable-credential.schema.json");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method != HttpMethod.Get || !response.IsSuccessStatusCode || request.RequestUri is null
            || PortablePath().Match(request.RequestUri.AbsolutePath) is not { Success: true } match)
            return response;

        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        using var document = JsonDocument.Parse(text);
        var failures = SchemaFailures(document.RootElement);
        if (failures.Count > 0)
            throw new InvalidOperationException($"Credential {match.Groups[1].Value} does not meet its schemas:\n{string.Join("\n", failures)}\n{text}");
        await File.WriteAllTextAsync(Path.Combine(Folder, $"{match.Groups[1].Value}.json"), text, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(Folder, $"{match.Groups[1].Value}.nq"), Dataset(match.Groups[1].Value, text), cancellationToken);
        return response;
    }

    /// <summary>
    /// The RDF dataset the registry's JSON-LD processor makes of the credential as its signature does (safe mode, <c>rdfDirection</c>
    /// <c>i18n-datatype</c>), which the standard-tools test compares with jsonld.js's.
    /// </summary>
    private static string Dataset(string id, string text)
    {
        try
        {
            return NQuads.Serialize(JsonLd.ToRdf(JsonNode.Parse(text), Registry.Signatures.EddsaRdfc2022.SafeMode));
        }
        catch (JsonLdException e)
        {
            throw new InvalidOperationException($"Credential {id} is not JSON-LD that safe mode accepts: {e.Code}: {e.Message}\n{text}", e);
        }
    }

    /// <summary>Each schema failure as "schema: pointer: message"; empty when the credential meets every schema that applies.</summary>
    public static List<string> SchemaFailures(JsonElement credential)
    {
        var vc11 = credential.TryGetProperty("@context", out var contexts) && contexts.ValueKind == JsonValueKind.Array
            && contexts.GetArrayLength() > 0 && contexts[0].ValueKind == JsonValueKind.String && contexts[0].GetString() == BundledContexts.CredentialsV1;
        var failures = (vc11 ? Vc11Failures(credential) : Failures("VC 2.0", VcSchema, credential))
            .Concat(Failures("portable credential", PortableSchema, credential)).ToList();
        var types = credential.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.ToString()) : [type.ToString()];
        if (types.Any(t => t is "OpenBadgeCredential" or "AchievementCredential"))
            failures.AddRange(Failures("Open Badges 3.0", BadgeSchema, credential));
        return failures;
    }

    /// <summary>VC 1.1 has no W3C JSON Schema; its credential is held to its date rule: an issuanceDate, a date-time, and none of VC 2.0's dates.</summary>
    private static IEnumerable<string> Vc11Failures(JsonElement credential)
    {
        if (!credential.TryGetProperty("issuanceDate", out var issued) || issued.ValueKind != JsonValueKind.String
            || !Registry.Credentials.XsdDateTime.TryParse(issued.GetString(), out _))
            yield return "VC 1.1: /issuanceDate: required, a date-time";
        if (credential.TryGetProperty("validFrom", out _)) yield return "VC 1.1: /validFrom: VC 2.0's, not VC 1.1's";
    }

    private static IEnumerable<string> Failures(string name, JsonSchema schema, JsonElement credential)
    {
        var result = schema.Evaluate(credential, Options);
        if (result.IsValid) yield break;
        foreach (var node in (result.Details ?? []).Where(d => d.Errors is not null))
            foreach (var (keyword, message) in node.Errors!)
                yield return $"{name}: {node.InstanceLocation} ({keyword}): {message}";
    }

    private static JsonSchema LoadSchema(string file) =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "schemas", file)), new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    [GeneratedRegex("^/credentials/([0-9a-f-]{36})/credential\\.json$")]
    private static partial Regex PortablePath();
}
