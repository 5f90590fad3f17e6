using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Identity;
using Registry.Signatures;

namespace Registry.Verification;

/// <summary>What the checks learn as they run; each check reads what earlier ones established.</summary>
public sealed class VerificationContext(JsonNode? document, ITrustedRegistries registries, DateTimeOffset now, IEd25519Verifier? ed25519 = null)
{
    public JsonNode? Document { get; } = document;
    public ITrustedRegistries Registries { get; } = registries;
    public DateTimeOffset Now { get; } = now;

    /// <summary>How `signature` checks Ed25519: the managed code unless the host gave a native library.</summary>
    public IEd25519Verifier Ed25519 { get; } = ed25519 ?? Ed25519Keys.Managed;

    // Set by `format`.
    public JsonObject Credential { get; set; } = null!;
    public AnchorProof Proof { get; set; } = null!;

    /// <summary>The issuer's Ethereum account, as the anchor proof names it: the account that anchored the root.</summary>
    public IssuerDid IssuerDid { get; set; } = null!;

    /// <summary>The credential's <c>issuer.id</c>: the did:key of the issuer's signing key, and that key.</summary>
    public string IssuerId { get; set; } = null!;
    public byte[] IssuerKey { get; set; } = null!;

    /// <summary>The issuer's <c>eddsa-rdfc-2022</c> proof, from the proof set.</summary>
    public JsonObject Signature { get; set; } = null!;

    // Set by `digest`: what the credential hashes to with its salt, whether or not that is the proof's digest.
    public Bytes32? Digest { get; set; }

    // Set by `registry`, `anchor`, `issuer` and `revocation`.
    public IChainReader Chain { get; set; } = null!;

    /// <summary>The issuer's name as the chain holds it (<c>issuerOf</c>), never the document's claim.</summary>
    public string? IssuerName { get; set; }
    public ChainVerdict? Verdict { get; set; }
    public RevocationRecord? Revocation { get; set; }
}
