using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.LinkedData;

namespace Registry.Signatures;

/// <summary>A JSON-LD document's canonical N-Quads in UTF-8: JSON-LD to RDF, then RDFC-1.0.</summary>
public delegate byte[] JsonLdCanonicalizer(JsonObject document);

/// <summary>Why an <c>eddsa-rdfc-2022</c> proof did not verify.</summary>
public enum ProofFailure
{
    /// <summary>No proof, or one whose fields are missing or not of their form (proofValue, verificationMethod, created, proofPurpose, @context).</summary>
    MalformedProof,

    /// <summary>The proof is not a <c>DataIntegrityProof</c> of the <c>eddsa-rdfc-2022</c> cryptosuite.</summary>
    WrongCryptosuite,

    /// <summary>The proof's key is not the one the verifier expects.</summary>
    KeyMismatch,

    /// <summary>The document (or the proof configuration) cannot be canonicalized.</summary>
    NotCanonicalizable,

    /// <summary>The signature is not the key's signature of this document and proof configuration.</summary>
    BadSignature,
}

/// <summary>The outcome of verifying one proof: the key it was made with when that could be read, and why it failed when it did.</summary>
public sealed record ProofVerification(bool Verified, ProofFailure? Failure, string? Reason, string? VerificationMethod, byte[]? PublicKey)
{
    internal static ProofVerification Failed(ProofFailure failure, string reason, string? verificationMethod = null, byte[]? publicKey = null) =>
        new(false, failure, reason, verificationMethod, publicKey);
}

/// <summary>
/// The <c>eddsa-rdfc-2022</c> cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0, section 3.2):
/// a <c>DataIntegrityProof</c> whose <c>proofValue</c> is the Ed25519 signature, in multibase
/// base58btc, of SHA-256(canonical proof configuration) ‖ SHA-256(canonical document). The proof
/// configuration is the proof without <c>proofValue</c>, with the document's <c>@context</c>.
/// The steps are public so that each can be checked against the W3C vectors.
/// </summary>
/// <remarks>
/// A document's <c>proof</c> may be a proof set (an array): every proof in a set covers the
/// document without any of them (Data Integrity 1.0, section 2.1.1), so the one made here and the
/// one checked here leave all proofs out, whatever else the set holds.
/// </remarks>
public static class EddsaRdfc2022
{
    public const string Cryptosuite = "eddsa-rdfc-2022";
    public const string ProofType = "DataIntegrityProof";
    public const string AssertionMethod = "assertionMethod";

    /// <summary>
    /// The JSON-LD to RDF options of the canonicalization: safe mode, the bundled contexts only, and <c>rdfDirection</c>
    /// <c>i18n-datatype</c>, as Digital Bazaar's eddsa-rdfc-2022 cryptosuite and jsonld-signatures convert, so that a
    /// language value's base direction (<c>@direction</c>) is signed with it, in the datatype of its literal.
    /// </summary>
    public static JsonLdOptions SafeMode { get; } = new() { Safe = true, RdfDirection = RdfDirection.I18nDatatype };

    /// <summary>
    /// The canonicalization the cryptosuite uses unless told otherwise: JSON-LD to RDF with <see cref="SafeMode"/>,
    /// then RDFC-1.0 with SHA-256. A term the contexts do not define is an error, not a claim left out of what is signed.
    /// </summary>
    public static readonly JsonLdCanonicalizer SafeCanonicalizer = document => Rdfc10.CanonicalizeToUtf8(JsonLd.ToRdf(document, SafeMode));

    /// <summary>A canonicalizer with another document loader (for contexts beyond the bundled ones), in safe mode.</summary>
    public static JsonLdCanonicalizer CanonicalizerWith(IDocumentLoader loader)
    {
        var options = SafeMode with { DocumentLoader = loader };
        return document => Rdfc10.CanonicalizeToUtf8(JsonLd.ToRdf(document, options));
    }

    /// <summary>Signs <paramref name="document"/> and returns a copy with the proof added (beside any proofs it had, as a proof set).</summary>
    public static JsonObject Sign(JsonObject document, Ed25519KeyPair key, DateTimeOffset created, JsonLdCanonicalizer? canonicalize = null, string proofPurpose = AssertionMethod,
        string? challenge = null, string? domain = null)
    {
        var proof = CreateProof(document, key, created, canonicalize, proofPurpose, challenge, domain);
        var secured = (JsonObject)document.DeepClone();
        secured["proof"] = secured["proof"] switch
        {
            null => proof,
            JsonArray set => new JsonArray([.. set.Select(entry => entry?.DeepClone()), proof]),
            var single => new JsonArray(single.DeepClone(), proof),
        };
        return secured;
    }

    /// <summary>
    /// Makes the proof (type, cryptosuite, created, verificationMethod, proofPurpose, proofValue) over the document without its
    /// proofs; a holder's <c>authentication</c> proof of a presentation also carries the verifier's <paramref name="challenge"/>
    /// and <paramref name="domain"/>, which are signed with the rest of the proof's options.
    /// </summary>
    public static JsonObject CreateProof(JsonObject document, Ed25519KeyPair key, DateTimeOffset created, JsonLdCanonicalizer? canonicalize = null, string proofPurpose = AssertionMethod,
        string? challenge = null, string? domain = null)
    {
        var proof = new JsonObject
        {
            ["type"] = ProofType,
            ["cryptosuite"] = Cryptosuite,
            ["created"] = XsdDateTime.Format(created),
            ["verificationMethod"] = DidKey.VerificationMethod(key.PublicKey),
            ["proofPurpose"] = proofPurpose,
        };
        if (challenge is not null) proof["challenge"] = challenge;
        if (domain is not null) proof["domain"] = domain;
        return Signed(proof, document, key, canonicalize);
    }

    /// <summary>Adds to <paramref name="proof"/> (its options) the <c>proofValue</c>: the key's signature of the proof configuration and the document without its proofs.</summary>
    internal static JsonObject Signed(JsonObject proof, JsonObject document, Ed25519KeyPair key, JsonLdCanonicalizer? canonicalize)
    {
        var unsecured = document.ContainsKey("proof") ? WithoutProofs(document) : document;
        var hashData = canonicalize is null
            ? SafeHashData(proof, unsecured)
            : HashData(canonicalize(ProofConfiguration(proof, unsecured)), canonicalize(unsecured));
        proof["proofValue"] = Multikey.EncodeBase58Btc(Ed25519Keys.Sign(key, hashData));
        return proof;
    }

    /// <summary>
    /// Verifies the document's one <c>eddsa-rdfc-2022</c> proof, whether <c>proof</c> is that proof
    /// or a proof set holding it. With <paramref name="expectedPublicKey"/>, the proof must be made
    /// with that key.
    /// </summary>
    public static ProofVerification Verify(JsonObject securedDocument, JsonLdCanonicalizer? canonicalize = null, byte[]? expectedPublicKey = null, string expectedProofPurpose = AssertionMethod)
    {
        var proofs = securedDocument["proof"] switch
        {
            JsonArray set => set.ToList(),
            null => [],
            var single => [single],
        };
        if (proofs.Count == 0)
            return ProofVerification.Failed(ProofFailure.MalformedProof, "the document has no proof");
        var ours = proofs.OfType<JsonObject>().Where(IsOurs).ToList();
        if (ours.Count == 1)
            return VerifyProof(securedDocument, ours[0], canonicalize, expectedPublicKey, expectedProofPurpose);
        if (ours.Count > 1)
            return ProofVerification.Failed(ProofFailure.MalformedProof, $"the proof set holds {ours.Count} {Cryptosuite} proofs where one is expected");
        var kinds = string.Join(", ", proofs.Select(Describe));
        return ProofVerification.Failed(ProofFailure.WrongCryptosuite, $"no {ProofType} of cryptosuite {Cryptosuite}: the document's proofs are {kinds}");

        static bool IsOurs(JsonObject proof) =>
            proof["type"] is JsonValue type && type.TryGetValue<string>(out var t) && t == ProofType
            && proof["cryptosuite"] is JsonValue suite && suite.TryGetValue<string>(out var s) && s == Cryptosuite;

        static string Describe(JsonNode? proof) => proof is JsonObject o
            ? $"{o["type"]?.ToJsonString() ?? "(no type)"}{(o["cryptosuite"] is { } suite ? " " + suite.ToJsonString() : "")}"
            : "(not an object)";
    }

    /// <summary>
    /// Verifies one <c>eddsa-rdfc-2022</c> proof over <paramref name="document"/> without its proofs; the
    /// signature with <paramref name="ed25519"/>, by default <see cref="Ed25519Keys.Managed"/>.
    /// </summary>
    /// <remarks>
    /// A proof of a chain (W3C Data Integrity, <c>previousProof</c>) is made over the document holding the proofs it names:
    /// <paramref name="previousProofs"/>, which the caller finds in the proof set.
    /// </remarks>
    public static ProofVerification VerifyProof(JsonObject document, JsonObject proof, JsonLdCanonicalizer? canonicalize = null, byte[]? expectedPublicKey = null,
        string expectedProofPurpose = AssertionMethod, IEd25519Verifier? ed25519 = null, JsonArray? previousProofs = null)
    {
        if (Text(proof, "type") != ProofType || Text(proof, "cryptosuite") != Cryptosuite)
            return ProofVerification.Failed(ProofFailure.WrongCryptosuite, $"the proof is not a {ProofType} of cryptosuite {Cryptosuite}");
        return VerifyLinkedDataProof(document, proof, canonicalize, expectedPublicKey, expectedProofPurpose, ed25519, previousProofs);
    }

    /// <summary>
    /// The checks every Ed25519 proof over RDFC-1.0 shares once its type is known (this cryptosuite's, and
    /// <see cref="Ed25519Signature2020"/>'s): purpose, form, did:key, and the signature of SHA-256(canonical proof
    /// configuration) ‖ SHA-256(canonical document).
    /// </summary>
    internal static ProofVerification VerifyLinkedDataProof(JsonObject document, JsonObject proof, JsonLdCanonicalizer? canonicalize, byte[]? expectedPublicKey,
        string expectedProofPurpose, IEd25519Verifier? ed25519, JsonArray? previousProofs = null)
    {
        if (Text(proof, "proofPurpose") is not { } purpose)
            return ProofVerification.Failed(ProofFailure.MalformedProof, "the proof has no proofPurpose");
        if (purpose != expectedProofPurpose)
            return ProofVerification.Failed(ProofFailure.MalformedProof, $"the proof's purpose is {purpose}, not {expectedProofPurpose}");
        if (proof.ContainsKey("created") && !XsdDateTime.TryParse(Text(proof, "created"), out _))
            return ProofVerification.Failed(ProofFailure.MalformedProof, "the proof's created is not an XML Schema dateTimeStamp");
        if (!Multikey.TryDecodeBase58Btc(Text(proof, "proofValue"), out var signature, out var valueError))
            return ProofVerification.Failed(ProofFailure.MalformedProof, $"proofValue: {valueError}");
        if (signature.Length != Ed25519Keys.SignatureBytes)
            return ProofVerification.Failed(ProofFailure.MalformedProof, $"proofValue holds {signature.Length} bytes, an Ed25519 signature {Ed25519Keys.SignatureBytes}");

        var method = Text(proof, "verificationMethod");
        var resolution = DidKey.Resolve(method);
        if (resolution.PublicKey is not { } publicKey)
            return ProofVerification.Failed(ProofFailure.MalformedProof, $"verificationMethod: {resolution.Error}", method);
        if (expectedPublicKey is not null && !CryptographicOperations.FixedTimeEquals(expectedPublicKey, publicKey))
            return ProofVerification.Failed(ProofFailure.KeyMismatch, $"the proof is made with {Multikey.EncodePublicKey(publicKey)}, not the expected key {Multikey.EncodePublicKey(expectedPublicKey)}", method, publicKey);

        // Canonicalization only reads the document, so one without proofs is used as it is, not copied.
        var unsecured = document.ContainsKey("proof") ? WithoutProofs(document) : document;
        var configuration = ProofOptions(proof);
        if (configuration["@context"] is { } proofContext)
        {
            // A proof that carries its own @context names the document's first contexts.
            if (!StartsWith(unsecured["@context"], proofContext))
                return ProofVerification.Failed(ProofFailure.MalformedProof, "the proof's @context is not the start of the document's", method, publicKey);
            if (ReferenceEquals(unsecured, document)) unsecured = WithoutProofs(document);
            unsecured["@context"] = proofContext.DeepClone();
        }
        if (previousProofs is not null)
        {
            if (ReferenceEquals(unsecured, document)) unsecured = WithoutProofs(document);
            unsecured["proof"] = previousProofs.DeepClone();
        }

        byte[] hashData;
        try
        {
            if (canonicalize is null)
                hashData = SafeHashData(configuration, unsecured);
            else
            {
                configuration["@context"] = unsecured["@context"]?.DeepClone();
                hashData = HashData(canonicalize(configuration), canonicalize(unsecured));
            }
        }
        catch (Exception error) when (error is not (OutOfMemoryException or OperationCanceledException))
        {
            return ProofVerification.Failed(ProofFailure.NotCanonicalizable, $"the document cannot be canonicalized: {error.Message}", method, publicKey);
        }
        return (ed25519 ?? Ed25519Keys.Managed).Verify(publicKey, hashData, signature)
            ? new ProofVerification(true, null, null, method, publicKey)
            : ProofVerification.Failed(ProofFailure.BadSignature, "the signature does not match the document and the proof's options", method, publicKey);
    }

    /// <summary>The proof configuration: the proof's options (all but <c>proofValue</c>) with the document's <c>@context</c>.</summary>
    public static JsonObject ProofConfiguration(JsonObject proofOptions, JsonObject unsecuredDocument)
    {
        var configuration = ProofOptions(proofOptions);
        configuration["@context"] = unsecuredDocument["@context"]?.DeepClone();
        return configuration;
    }

    /// <summary>A copy of the proof without <c>proofValue</c>.</summary>
    private static JsonObject ProofOptions(JsonObject proof) => CopyWithout(proof, "proofValue");

    /// <summary>
    /// What <see cref="SafeCanonicalizer"/> gives <see cref="HashData"/>, made without copying the
    /// document's <c>@context</c> into the proof configuration (a credential's is 2 KB, the registry's
    /// own context inline): the proof's options are converted to RDF under that context as it lies in
    /// the document, which is what a configuration holding a copy of it denotes, and each canonical
    /// form is hashed where it was written.
    /// </summary>
    private static byte[] SafeHashData(JsonObject proofOptions, JsonObject unsecuredDocument)
    {
        var options = proofOptions;
        if (options.ContainsKey("proofValue") || options.ContainsKey("@context"))
        {
            options = new JsonObject();
            foreach (var (name, value) in proofOptions)
            {
                if (name is not ("proofValue" or "@context"))
                    options[name] = value?.DeepClone();
            }
        }
        var hashData = new byte[2 * SHA256.HashSizeInBytes];
        Rdfc10.HashCanonical(JsonLd.ToRdf(options, unsecuredDocument["@context"], SafeMode), hashData.AsSpan(0, SHA256.HashSizeInBytes));
        Rdfc10.HashCanonical(JsonLd.ToRdf(unsecuredDocument, SafeMode), hashData.AsSpan(SHA256.HashSizeInBytes));
        return hashData;
    }

    /// <summary>What is signed: SHA-256 of the canonical proof configuration, then SHA-256 of the canonical document.</summary>
    public static byte[] HashData(ReadOnlySpan<byte> canonicalProofConfiguration, ReadOnlySpan<byte> canonicalDocument)
    {
        var hashData = new byte[2 * SHA256.HashSizeInBytes];
        SHA256.HashData(canonicalProofConfiguration, hashData);
        SHA256.HashData(canonicalDocument, hashData.AsSpan(SHA256.HashSizeInBytes));
        return hashData;
    }

    /// <summary>A copy of the document without <c>proof</c>: what every proof of a proof set covers.</summary>
    public static JsonObject WithoutProofs(JsonObject document) => CopyWithout(document, "proof");

    private static JsonObject CopyWithout(JsonObject source, string left)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in source)
        {
            if (name != left)
                copy[name] = value?.DeepClone();
        }
        return copy;
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool StartsWith(JsonNode? documentContext, JsonNode proofContext)
    {
        var document = documentContext is JsonArray documentArray ? documentArray.ToList() : [documentContext];
        var proof = proofContext is JsonArray proofArray ? proofArray.ToList() : [proofContext];
        return proof.Count <= document.Count && proof.Select((entry, i) => JsonNode.DeepEquals(entry, document[i])).All(same => same);
    }
}
