using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.LinkedData;

namespace Registry.Signatures;

/// <summary>
/// The <c>Ed25519Signature2020</c> proof suite (W3C CCG, the suite before Data Integrity's cryptosuites, which wallets such
/// as the Learner Credential Wallet still sign with): the same signature as <see cref="EddsaRdfc2022"/>, of SHA-256(canonical
/// proof configuration) ‖ SHA-256(canonical document) under RDFC-1.0 (URDNA2015), with the proof typed
/// <c>Ed25519Signature2020</c> and no <c>cryptosuite</c>, and the suite's context in the document's <c>@context</c>.
/// </summary>
public static class Ed25519Signature2020
{
    public const string ProofType = "Ed25519Signature2020";
    public const string ContextUrl = BundledContexts.Ed25519Signature2020V1;

    /// <summary>
    /// Signs <paramref name="document"/> (which gets the suite's context when it lacks it) and returns the copy with the proof:
    /// what a wallet's holder proof looks like, for tests and examples.
    /// </summary>
    public static JsonObject Sign(JsonObject document, Ed25519KeyPair key, DateTimeOffset created, string proofPurpose = EddsaRdfc2022.AssertionMethod,
        string? challenge = null, string? domain = null)
    {
        var secured = (JsonObject)document.DeepClone();
        if (!IncludesContext(secured)) secured["@context"] = new JsonArray([.. ContextsOf(secured["@context"]).Select(c => c?.DeepClone()), ContextUrl]);
        var proof = new JsonObject
        {
            ["type"] = ProofType,
            ["created"] = XsdDateTime.Format(created),
            ["verificationMethod"] = DidKey.VerificationMethod(key.PublicKey),
            ["proofPurpose"] = proofPurpose,
        };
        if (challenge is not null) proof["challenge"] = challenge;
        if (domain is not null) proof["domain"] = domain;
        secured["proof"] = EddsaRdfc2022.Signed(proof, secured, key, canonicalize: null);
        return secured;
    }

    /// <summary>
    /// Verifies one <c>Ed25519Signature2020</c> proof over <paramref name="document"/> without its proofs (with
    /// <paramref name="previousProofs"/> where the proof is one of a chain); its key from its did:key verification method.
    /// </summary>
    public static ProofVerification VerifyProof(JsonObject document, JsonObject proof, string expectedProofPurpose = EddsaRdfc2022.AssertionMethod,
        IEd25519Verifier? ed25519 = null, JsonArray? previousProofs = null)
    {
        if (proof["type"] is not JsonValue type || !type.TryGetValue<string>(out var name) || name != ProofType)
            return ProofVerification.Failed(ProofFailure.WrongCryptosuite, $"the proof is not an {ProofType}");
        if (!IncludesContext(document))
            return ProofVerification.Failed(ProofFailure.MalformedProof, $"an {ProofType} proof needs the document's @context to include {ContextUrl}");
        return EddsaRdfc2022.VerifyLinkedDataProof(document, proof, canonicalize: null, expectedPublicKey: null, expectedProofPurpose, ed25519, previousProofs);
    }

    private static bool IncludesContext(JsonObject document) =>
        ContextsOf(document["@context"]).Any(c => c is JsonValue value && value.TryGetValue<string>(out var url) && url == ContextUrl);

    private static List<JsonNode?> ContextsOf(JsonNode? context) => context switch
    {
        JsonArray list => list.ToList(),
        null => [],
        var one => [one],
    };
}
