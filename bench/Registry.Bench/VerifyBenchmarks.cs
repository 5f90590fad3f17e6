using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Registry.Api.Verification;
using Registry.Audit;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Identity;
using Registry.Index;
using Registry.LinkedData;
using Registry.Merkle;
using Registry.Portfolio;
using Registry.Signatures;
using Registry.Verification;

namespace Registry.Bench;

/// <summary>
/// What <c>POST /verify</c> does for one portable credential once its body is read, in process: the
/// pipeline the endpoint calls (parse, format, digest, signature with libsodium, Merkle, and the chain
/// checks answered by a chain index holding the batch's anchor and the issuer's key), then the answer
/// written as JSON. It cycles through 1,000 different credentials of one anchored batch, as bench.sh's
/// rotation does, so no per-document cache counts; the allocation column is what the garbage collector
/// has to take back per request. Beside it, the steps of the signature check alone.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class VerifyBenchmarks
{
    private const int Rotation = 1_000;
    private const long ChainId = 31337;
    private const string Account = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private byte[][] _bodies = [];
    private JsonObject[] _credentials = [];
    private JsonObject[] _signatures = [];
    private JsonObject[] _documents = [];
    private List<RdfQuad>[] _quads = [];
    private byte[][] _hashData = [];
    private VerificationReport[] _reports = [];
    private byte[][] _signatureBytes = [];
    private byte[] _issuerKey = [];
    private PortfolioVerifier _verifier = null!;
    private IEd25519Verifier _sodium = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var key = Ed25519Keys.FromPrivateKey(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        _issuerKey = key.PublicKey;
        var account = IssuerDid.For(ChainId, Account);
        var credentials = Enumerable.Range(0, Rotation).Select(i => SchemaBenchmarks.CompletedBadge(badge =>
        {
            badge["id"] = $"urn:uuid:{Guid.NewGuid()}";
            badge["credentialSubject"]!["id"] = $"did:example:learner-{i}";
        }, DidKey.For(key.PublicKey), account, statusIndex: i)).ToArray();
        var salts = credentials.Select(_ => CredentialDigest.NewSalt()).ToArray();
        var digests = credentials.Select((c, i) => CredentialDigest.Compute(salts[i], c)).ToArray();
        var tree = MerkleTree.Build(digests);
        var anchoredAt = DateTimeOffset.Parse("2026-12-06T12:00:00Z");
        const string transaction = "0x" + "ab" + "00000000000000000000000000000000000000000000000000000000000000";
        var location = new AnchorLocation(ChainId, SchemaBenchmarks.Contract, transaction, 2, BatchIds.For(Account, tree.Root));
        _bodies = credentials.Select((credential, i) =>
        {
            var proof = new AnchorProof(account.VerificationMethod, anchoredAt, salts[i], digests[i], tree.Root, tree.GetProof(i), location);
            return JsonSerializer.SerializeToUtf8Bytes(PortableCredential.Sign(credential, proof, key, anchoredAt));
        }).ToArray();
        _credentials = _bodies.Select(body => PortableCredential.WithoutProof(JsonNode.Parse(body)!.AsObject())).ToArray();
        _signatures = _bodies.Select(body => JsonNode.Parse(body)!["proof"]![1]!.AsObject()).ToArray();
        _documents = _bodies.Select(body => JsonNode.Parse(body)!.AsObject()).ToArray();
        _hashData = _credentials.Select((credential, i) => EddsaRdfc2022.HashData(
            EddsaRdfc2022.SafeCanonicalizer(EddsaRdfc2022.ProofConfiguration(_signatures[i], credential)), EddsaRdfc2022.SafeCanonicalizer(credential))).ToArray();
        _signatureBytes = _signatures.Select(s => Multikey.TryDecodeBase58Btc(s["proofValue"]!.GetValue<string>(), out var bytes, out _) ? bytes : []).ToArray();
        _quads = _credentials.Select(credential => JsonLd.ToRdf(credential, new JsonLdOptions { Safe = true })).ToArray();

        var index = new ChainIndex();
        index.Apply(
        [
            new RegistryEvent(RegistryEventTypes.IssuerAdded, 1, 0, "0x01", anchoredAt.AddDays(-1), Account, Name: "Open University of Testing",
                SigningKey: Bytes32.FromSpan(key.PublicKey).ToString()),
            new RegistryEvent(RegistryEventTypes.Anchored, 2, 0, transaction, anchoredAt, Account, Root: tree.Root.ToString(), Count: Rotation),
        ], new ChainPoint(2, "0x02", anchoredAt));
        var reader = new CachingChainReader(new IndexedChainReader(index, new UnavailableChainReader(UncheckedReason.NodeUnreachable, "no node"), () => true),
            knownChainId: ChainId);
        _sodium = SodiumEd25519.OrManaged();
        _verifier = new PortfolioVerifier(new CredentialVerifier(new OneRegistry(reader), ed25519: _sodium));
        _reports = _bodies.Select(body => Verify(body) is DocumentVerdict.Credential { Report.Verified: true } verdict
            ? verdict.Report
            : throw new InvalidOperationException("A benchmark credential does not verify.")).ToArray();
    }

    [Benchmark(Baseline = true, Description = "POST /verify's pipeline and answer, 1,000 different credentials in turn")]
    public int VerifyRotation()
    {
        var verdict = (DocumentVerdict.Credential)Verify(_bodies[Next()]);
        return JsonSerializer.SerializeToUtf8Bytes(VerificationView.Of(verdict.Report), Web).Length;
    }

    [Benchmark(Description = "signature check alone (toRdf, RDFC-1.0, SHA-256, Ed25519), in turn")]
    public bool SignatureRotation()
    {
        var i = Next();
        return EddsaRdfc2022.VerifyProof(_credentials[i], _signatures[i], expectedPublicKey: _issuerKey, ed25519: _sodium).Verified;
    }

    [Benchmark(Description = "toRdf of the credential alone, in turn")]
    public int ToRdfRotation() => JsonLd.ToRdf(_credentials[Next()], new JsonLdOptions { Safe = true }).Count;

    internal byte[] Body(int i) => _bodies[i];

    internal JsonObject Document(int i) => _documents[i];

    internal JsonObject Credential(int i) => _credentials[i];

    internal List<RdfQuad> Quads(int i) => _quads[i];

    internal JsonObject Signature(int i) => _signatures[i];

    internal int Answer(int i) => JsonSerializer.SerializeToUtf8Bytes(VerificationView.Of(_reports[i]), Web).Length;

    internal bool CheckEd25519(int i) => _sodium.Verify(_issuerKey, _hashData[i], _signatureBytes[i]);

    private DocumentVerdict Verify(byte[] body) => _verifier.VerifyAsync(body).GetAwaiter().GetResult();

    private int Next() => _next = (_next + 1) % Rotation;

    private sealed class OneRegistry(IChainReader reader) : ITrustedRegistries
    {
        public IChainReader? Find(long chainId, string contract) =>
            chainId == ChainId && string.Equals(contract, SchemaBenchmarks.Contract, StringComparison.OrdinalIgnoreCase) ? reader : null;

        public IReadOnlyList<TrustedRegistry> Trusted { get; } = [new TrustedRegistry(ChainId, SchemaBenchmarks.Contract)];
    }
}
