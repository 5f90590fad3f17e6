using System.Text;
using System.Text.Json.Nodes;
using Registry.LinkedData;
using Registry.Signatures;

namespace Registry.Tests.Signatures;

/// <summary>
/// The eddsa-rdfc-2022 cryptosuite against the W3C vc-di-eddsa vectors (Vectors/vc-di-eddsa), byte for
/// byte at each step: from the canonical N-Quads the vectors give, and end to end from their JSON
/// documents through our JSON-LD and RDFC-1.0; then each way a proof can be broken.
/// </summary>
public sealed class EddsaRdfc2022Tests
{
    private const string ExamplesContext = "https://www.w3.org/ns/credentials/examples/v2";

    private static string VectorPath(string relative) => Path.Combine(AppContext.BaseDirectory, "Vectors", "vc-di-eddsa", relative);

    private static string Text(string file) => File.ReadAllText(VectorPath("TestVectors/" + file));

    private static JsonObject Json(string file) => JsonNode.Parse(Text(file))!.AsObject();

    /// <summary>The bundled contexts, and the VC examples context the vectors use (vendored beside them).</summary>
    private sealed class VectorLoader : IDocumentLoader
    {
        private readonly RemoteDocument examples = new(ExamplesContext, JsonNode.Parse(File.ReadAllText(VectorPath("contexts/credentials-examples-v2.jsonld")))!);

        public RemoteDocument Load(string url) => url == ExamplesContext ? examples : BundledContexts.Loader.Load(url);
    }

    private static readonly JsonLdCanonicalizer Canonicalize = EddsaRdfc2022.CanonicalizerWith(new VectorLoader());

    private static Ed25519KeyPair VectorKey(JsonNode pair)
    {
        Assert.True(Multikey.TryDecodePrivateKey(pair["privateKeyMultibase"]!.GetValue<string>(), out var privateKey, out var error), error);
        return Ed25519Keys.FromPrivateKey(privateKey);
    }

    /// <summary>Stands for canonicalization with the canonical N-Quads a vector gives for each of its two documents.</summary>
    private static JsonLdCanonicalizer Given(string folder, JsonObject proofConfiguration) => document =>
        Encoding.UTF8.GetBytes(Text(JsonNode.DeepEquals(document, proofConfiguration) ? $"{folder}/proofCanonDataInt.txt" : $"{folder}/canonDocDataInt.txt"));

    [Theory]
    [InlineData("eddsa-rdfc-2022", "unsigned.json")]
    [InlineData("eddsa-rdfc-2022/employ", "employmentAuth.json")]
    public void Each_step_matches_the_vector_from_its_canonical_n_quads(string folder, string unsignedFile)
    {
        var proofHash = Convert.FromHexString(Text($"{folder}/proofHashDataInt.txt").Trim());
        var documentHash = Convert.FromHexString(Text($"{folder}/docHashDataInt.txt").Trim());
        var hashData = EddsaRdfc2022.HashData(Encoding.UTF8.GetBytes(Text($"{folder}/proofCanonDataInt.txt")), Encoding.UTF8.GetBytes(Text($"{folder}/canonDocDataInt.txt")));
        Assert.Equal(proofHash, hashData[..32]);
        Assert.Equal(documentHash, hashData[32..]);
        Assert.Equal(Text($"{folder}/combinedHashDataInt.txt").Trim(), Convert.ToHexStringLower(hashData));

        var key = VectorKey(Json("keyPair.json"));
        var signature = Ed25519Keys.Sign(key, hashData);
        Assert.Equal(Text($"{folder}/sigHexDataInt.txt").Trim(), Convert.ToHexStringLower(signature));
        Assert.Equal(Text($"{folder}/sigBTC58DataInt.txt").Trim(), Multikey.EncodeBase58Btc(signature));

        // The proof made through the cryptosuite, with the vector's canonical forms given, is the vector's proof.
        var unsigned = Json(unsignedFile);
        var signed = Json($"{folder}/signedDataInt.json");
        var proofConfiguration = Json($"{folder}/proofConfigDataInt.json");
        var given = Given(folder, proofConfiguration);
        Assert.True(JsonNode.DeepEquals(proofConfiguration, EddsaRdfc2022.ProofConfiguration(OptionsOf(signed), unsigned)));
        var proof = EddsaRdfc2022.CreateProof(unsigned, key, DateTimeOffset.Parse("2023-02-24T23:36:38Z"), given);
        Assert.True(JsonNode.DeepEquals(signed["proof"], proof), proof.ToJsonString());
        var verification = EddsaRdfc2022.Verify(signed, given, key.PublicKey);
        Assert.True(verification.Verified, verification.Reason);
    }

    [Fact]
    public void The_vector_is_met_end_to_end_from_its_json_documents()
    {
        var unsigned = Json("unsigned.json");
        var signed = Json("eddsa-rdfc-2022/signedDataInt.json");
        var proofConfiguration = EddsaRdfc2022.ProofConfiguration(OptionsOf(signed), unsigned);
        Assert.True(JsonNode.DeepEquals(Json("eddsa-rdfc-2022/proofConfigDataInt.json"), proofConfiguration));
        Assert.Equal(Text("eddsa-rdfc-2022/proofCanonDataInt.txt"), Encoding.UTF8.GetString(Canonicalize(proofConfiguration)));
        Assert.Equal(Text("eddsa-rdfc-2022/canonDocDataInt.txt"), Encoding.UTF8.GetString(Canonicalize(unsigned)));

        var key = VectorKey(Json("keyPair.json"));
        var secured = EddsaRdfc2022.Sign(unsigned, key, DateTimeOffset.Parse("2023-02-24T23:36:38Z"), Canonicalize);
        Assert.True(JsonNode.DeepEquals(signed, secured), secured.ToJsonString());
        var verification = EddsaRdfc2022.Verify(signed, Canonicalize, key.PublicKey);
        Assert.True(verification.Verified, verification.Reason);
        Assert.Equal(signed["proof"]!["verificationMethod"]!.GetValue<string>(), verification.VerificationMethod);
    }

    [Fact]
    public void Each_proof_of_the_vectors_proof_set_verifies_over_the_document_without_the_set()
    {
        var signed = Json("proof-set-chain/signedProofSet2.json");
        var pairs = Json("proof-set-chain/multiKeyPairs.json");
        var proofs = signed["proof"]!.AsArray();
        Assert.Equal(2, proofs.Count);
        foreach (var (proof, pair) in proofs.Zip(["keyPair1", "keyPair2"]))
        {
            var verification = EddsaRdfc2022.VerifyProof(signed, proof!.AsObject(), Canonicalize, VectorKey(pairs[pair]!).PublicKey);
            Assert.True(verification.Verified, verification.Reason);
        }
        // Two proofs of the suite where one is expected: Verify says so rather than choosing.
        Assert.Equal(ProofFailure.MalformedProof, EddsaRdfc2022.Verify(signed, Canonicalize).Failure);
    }

    [Fact]
    public void Beside_another_kind_of_proof_the_signature_is_found_and_verified()
    {
        var anchor = new JsonObject { ["type"] = "EthereumMerkleAnchor2026", ["proofPurpose"] = "assertionMethod", ["merkleRoot"] = "0x01" };
        var unsigned = Json("unsigned.json");
        unsigned["proof"] = anchor;
        var key = Ed25519Keys.Generate();
        var secured = EddsaRdfc2022.Sign(unsigned, key, DateTimeOffset.UtcNow, Canonicalize);
        Assert.Equal(2, secured["proof"]!.AsArray().Count);
        Assert.True(EddsaRdfc2022.Verify(secured, Canonicalize, key.PublicKey).Verified);

        // The other proof is not signed: it may change, or go, and the signature still holds.
        secured["proof"]![0]!["merkleRoot"] = "0x02";
        Assert.True(EddsaRdfc2022.Verify(secured, Canonicalize, key.PublicKey).Verified);
        var alone = (JsonObject)secured.DeepClone();
        alone["proof"] = alone["proof"]![1]!.DeepClone();
        Assert.True(EddsaRdfc2022.Verify(alone, Canonicalize, key.PublicKey).Verified);
    }

    public static TheoryData<string, Action<JsonObject>, ProofFailure> Breakages() => new()
    {
        { "a changed claim", document => document["credentialSubject"]!["alumniOf"] = "The School of Counterfeits", ProofFailure.BadSignature },
        { "a changed proof option", document => Proof(document)["created"] = "2024-02-24T23:36:38Z", ProofFailure.BadSignature },
        { "a flipped signature bit", document => Proof(document)["proofValue"] = Flip(Proof(document)["proofValue"]!.GetValue<string>()), ProofFailure.BadSignature },
        { "another key's signature", document => Proof(document)["verificationMethod"] = DidKey.VerificationMethod(Ed25519Keys.Generate().PublicKey), ProofFailure.KeyMismatch },
        { "another cryptosuite", document => Proof(document)["cryptosuite"] = "ecdsa-rdfc-2019", ProofFailure.WrongCryptosuite },
        { "another proof type", document => Proof(document)["type"] = "Ed25519Signature2020", ProofFailure.WrongCryptosuite },
        { "no proofValue", document => Proof(document).Remove("proofValue"), ProofFailure.MalformedProof },
        { "a proofValue not in base58btc", document => Proof(document)["proofValue"] = "u" + Proof(document)["proofValue"]!.GetValue<string>()[1..], ProofFailure.MalformedProof },
        { "a short proofValue", document => Proof(document)["proofValue"] = "z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9isea", ProofFailure.MalformedProof },
        { "a verificationMethod that is no did:key", document => Proof(document)["verificationMethod"] = "https://vc.example/issuers/5678#key-1", ProofFailure.MalformedProof },
        { "another proof purpose", document => Proof(document)["proofPurpose"] = "authentication", ProofFailure.MalformedProof },
        { "a created that is no date", document => Proof(document)["created"] = "yesterday", ProofFailure.MalformedProof },
        { "no proof", document => document.Remove("proof"), ProofFailure.MalformedProof },
        { "a relative identifier, which safe mode refuses", document => document["credentialSubject"]!["id"] = "relative/subject", ProofFailure.NotCanonicalizable },
        { "a context beyond the bundled ones", document => document["@context"]!.AsArray().Add("https://example.org/unknown-context"), ProofFailure.NotCanonicalizable },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void A_broken_proof_fails_and_says_why(string breakage, Action<JsonObject> breakIt, ProofFailure failure)
    {
        var signed = Json("eddsa-rdfc-2022/signedDataInt.json");
        var key = VectorKey(Json("keyPair.json"));
        Assert.True(EddsaRdfc2022.Verify(signed, Canonicalize, key.PublicKey).Verified);
        breakIt(signed);
        var verification = EddsaRdfc2022.Verify(signed, Canonicalize, key.PublicKey);
        Assert.False(verification.Verified, breakage);
        Assert.Equal(failure, verification.Failure);
        Assert.False(string.IsNullOrWhiteSpace(verification.Reason));
    }

    [Fact]
    public void Without_an_expected_key_another_keys_valid_signature_verifies_and_names_its_key()
    {
        var other = Ed25519Keys.Generate();
        var secured = EddsaRdfc2022.Sign(Json("unsigned.json"), other, DateTimeOffset.UtcNow, Canonicalize);
        var verification = EddsaRdfc2022.Verify(secured, Canonicalize);
        Assert.True(verification.Verified, verification.Reason);
        Assert.Equal(other.PublicKey, verification.PublicKey);
        Assert.Equal(ProofFailure.KeyMismatch, EddsaRdfc2022.Verify(secured, Canonicalize, VectorKey(Json("keyPair.json")).PublicKey).Failure);
    }

    private static JsonObject OptionsOf(JsonObject signed)
    {
        var options = signed["proof"]!.DeepClone().AsObject();
        options.Remove("proofValue");
        return options;
    }

    private static JsonObject Proof(JsonObject document) => document["proof"]!.AsObject();

    private static string Flip(string proofValue)
    {
        Assert.True(Multikey.TryDecodeBase58Btc(proofValue, out var bytes, out _));
        bytes[20] ^= 0x10;
        return Multikey.EncodeBase58Btc(bytes);
    }
}
