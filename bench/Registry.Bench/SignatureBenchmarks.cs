using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Registry.LinkedData;
using Registry.Signatures;

namespace Registry.Bench;

/// <summary>
/// "Canonicalize and sign" of the README's example credential (the one <see cref="JsonLdBenchmarks"/>
/// converts): RDFC-1.0 of its dataset alone, and the whole eddsa-rdfc-2022 proof (JSON-LD to RDF and
/// RDFC-1.0 of the proof configuration and of the credential, two SHA-256, one Ed25519 signature).
/// The target is 250 µs on one core; jsonld.js's canonize alone takes 15 to 25 ms here.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private JsonObject _credential = null!;
    private List<RdfQuad> _quads = null!;
    private Ed25519KeyPair _key = null!;
    private readonly DateTimeOffset _created = DateTimeOffset.Parse("2026-12-06T12:00:00Z");

    [GlobalSetup]
    public void Setup()
    {
        _credential = JsonNode.Parse(SchemaBenchmarks.CompletedExample().RootElement.GetRawText())!.AsObject();
        _quads = JsonLd.ToRdf(_credential, new JsonLdOptions { Safe = true });
        _key = Ed25519Keys.FromPrivateKey(new byte[32]);
        if (!EddsaRdfc2022.Verify(EddsaRdfc2022.Sign(_credential, _key, _created), expectedPublicKey: _key.PublicKey).Verified)
            throw new InvalidOperationException("The example credential's signature does not verify.");
    }

    [Benchmark(Description = "RDFC-1.0, example credential's dataset")]
    public int Canonicalize() => Rdfc10.CanonicalizeToUtf8(_quads).Length;

    [Benchmark(Description = "canonicalize and sign, eddsa-rdfc-2022, example credential")]
    public int CanonicalizeAndSign() => EddsaRdfc2022.CreateProof(_credential, _key, _created).Count;
}
