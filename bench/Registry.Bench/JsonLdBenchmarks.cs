using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Registry.LinkedData;

namespace Registry.Bench;

/// <summary>
/// JSON-LD to RDF of the README's example credential (docs/examples/badge.json as the registry completes
/// it, the part that a Data Integrity proof signs), in safe mode with the bundled contexts, once they are
/// processed and cached: the first step of "canonicalize and sign". jsonld.js's canonize of the same
/// credential takes 15 to 25 ms on this machine.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class JsonLdBenchmarks
{
    private static readonly JsonLdOptions Safe = new() { Safe = true };

    private JsonObject _credential = null!;

    [GlobalSetup]
    public void Setup()
    {
        _credential = JsonNode.Parse(SchemaBenchmarks.CompletedExample().RootElement.GetRawText())!.AsObject();
        if (JsonLd.ToRdf(_credential, Safe).Count < 20)
            throw new InvalidOperationException("The example credential gave too few quads.");
    }

    [Benchmark(Description = "toRdf, example credential, safe mode")]
    public int ToRdf() => JsonLd.ToRdf(_credential, Safe).Count;
}
