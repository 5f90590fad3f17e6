using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Json.Schema;
using Registry.Canonical;
using Registry.Credentials;
using Registry.Identity;

namespace Registry.Bench;

/// <summary>
/// The schema check at submission, on the example badge of docs/examples completed as the registry completes it
/// and read from its canonical bytes, as issuance reads it: JsonSchema.Net's flag evaluation against the compiled
/// check that now answers first, for the Open Badges 3.0 schema (what submission runs) and VC 2.0.
/// </summary>
/// <remarks>
/// The compiled check keeps its verdicts on recent format values, so one badge checked again and again shows
/// only the best case. Two more runs cycle through 5,000 badges: as in a bulk request, each with its own id and
/// learner (issuer, achievement and dates shared); and each with every value under a <c>format</c> its own.
/// </remarks>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class SchemaBenchmarks
{
    private const int Cycle = 5_000;

    private static readonly EvaluationOptions Flag = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };

    private JsonDocument _badge = null!;
    private JsonDocument _failing = null!;
    private JsonDocument[] _ownLearners = [];
    private JsonDocument[] _allOwn = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _badge = Completed(_ => { });
        _failing = Completed(badge => badge["credentialSubject"]!["achievement"]!.AsObject().Remove("criteria"));
        _ownLearners = Enumerable.Range(0, Cycle).Select(i => Completed(badge =>
        {
            badge["id"] = $"urn:uuid:{Guid.NewGuid()}";
            badge["credentialSubject"]!["id"] = $"did:example:learner-{i}";
        })).ToArray();
        _allOwn = Enumerable.Range(0, Cycle).Select(i => Completed(badge =>
        {
            badge["id"] = $"urn:uuid:{Guid.NewGuid()}";
            badge["validFrom"] = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i).ToString("yyyy-MM-ddTHH:mm:ssZ");
            badge["credentialSubject"]!["id"] = $"did:example:learner-{i}";
            badge["credentialSubject"]!["achievement"]!["id"] = $"https://oul.example/achievements/{i}";
        }, issuerUrl: $"https://oul.example/{i}")).ToArray();

        foreach (var badge in _ownLearners.Concat(_allOwn).Append(_badge))
            if (!CredentialSchemas.AchievementCredential.Compiled.IsValid(badge.RootElement))
                throw new InvalidOperationException("A benchmark badge does not meet the Open Badges 3.0 schema.");
        if (CredentialSchemas.AchievementCredential.Compiled.IsValid(_failing.RootElement))
            throw new InvalidOperationException("The failing benchmark badge meets the Open Badges 3.0 schema.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var document in _ownLearners.Concat(_allOwn).Append(_badge).Append(_failing)) document.Dispose();
    }

    [Benchmark(Baseline = true, Description = "OB 3.0, JsonSchema.Net flag")]
    public bool OpenBadgeJsonSchemaNet() => CredentialSchemas.AchievementCredential.Evaluator.Evaluate(_badge.RootElement, Flag).IsValid;

    [Benchmark(Description = "OB 3.0, compiled, the same badge")]
    public bool OpenBadgeCompiled() => CredentialSchemas.AchievementCredential.Compiled.IsValid(_badge.RootElement);

    [Benchmark(Description = "OB 3.0, compiled, 5,000 badges, own id and learner")]
    public bool OpenBadgeCompiledOwnLearners() => CredentialSchemas.AchievementCredential.Compiled.IsValid(_ownLearners[Next()].RootElement);

    [Benchmark(Description = "OB 3.0, compiled, 5,000 badges, every format value own")]
    public bool OpenBadgeCompiledAllOwn() => CredentialSchemas.AchievementCredential.Compiled.IsValid(_allOwn[Next()].RootElement);

    [Benchmark(Description = "OB 3.0, ValidateOpenBadge (what submission runs)")]
    public bool OpenBadgeValidate()
    {
        var errors = new ValidationErrors();
        CredentialSchemas.ValidateOpenBadge(_ownLearners[Next()].RootElement, errors);
        return errors.IsEmpty;
    }

    [Benchmark(Description = "OB 3.0, ValidateOpenBadge, failing (compiled, then the report)")]
    public bool OpenBadgeValidateFailing()
    {
        var errors = new ValidationErrors();
        CredentialSchemas.ValidateOpenBadge(_failing.RootElement, errors);
        return errors.IsEmpty;
    }

    [Benchmark(Description = "VC 2.0, JsonSchema.Net flag")]
    public bool VcJsonSchemaNet() => CredentialSchemas.VerifiableCredential.Evaluator.Evaluate(_badge.RootElement, Flag).IsValid;

    [Benchmark(Description = "VC 2.0, compiled")]
    public bool VcCompiled() => CredentialSchemas.VerifiableCredential.Compiled.IsValid(_badge.RootElement);

    private int Next() => _next = (_next + 1) % Cycle;

    /// <summary>The example badge, completed by the registry as the README shows it.</summary>
    internal static JsonDocument CompletedExample() => Completed(_ => { });

    /// <summary>The example badge, changed by <paramref name="change"/>, completed by the registry and read back from its canonical bytes.</summary>
    private static JsonDocument Completed(Action<JsonObject> change, string issuerUrl = "https://oul.example") =>
        JsonDocument.Parse(Jcs.Canonicalize(CompletedBadge(change, issuerUrl: issuerUrl)));

    /// <summary>The example badge, changed by <paramref name="change"/>, completed by the registry for the issuer of <paramref name="issuerKey"/> (its did:key) and <paramref name="account"/>.</summary>
    internal static JsonObject CompletedBadge(Action<JsonObject> change, string issuerKey = ExampleIssuerKey, IssuerDid? account = null,
        string issuerUrl = "https://oul.example", long statusIndex = 42)
    {
        var badge = ExampleBadge();
        change(badge);
        var did = account ?? IssuerDid.For(31337, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
        RegistryFields.Apply(badge, "urn:uuid:0b0e6f4e-3f5c-4c55-9d43-6f1f0d1a2b3c", new IssuerProfileFields(issuerKey, "Open University of Testing", issuerUrl),
            StatusListEntry.For(new Uri("https://registry.example.org"), "3f2c9a4e-8d1b-4c6f-9e2a-5b7d0c1e4f6a", statusIndex), CredentialStatusEntry.For(did, Contract));
        return badge;
    }

    /// <summary>The registry contract the example's status names (the first contract a Hardhat node deploys).</summary>
    internal const string Contract = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

    /// <summary>The issuer's did:key: the public key of W3C vc-di-eddsa's test vectors.</summary>
    internal const string ExampleIssuerKey = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

    private static JsonObject ExampleBadge()
    {
        using var stream = typeof(SchemaBenchmarks).Assembly.GetManifestResourceStream("badge.json")
            ?? throw new InvalidOperationException("The embedded example badge is missing.");
        return JsonNode.Parse(stream)!.AsObject();
    }
}
