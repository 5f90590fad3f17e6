using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Identity;

namespace Registry.Verification;

/// <summary>What the checks learn as they run; each check reads what earlier ones established.</summary>
public sealed class VerificationContext(JsonNode? document, ITrustedRegistries registries, DateTimeOffset now)
{
    public JsonNode? Document { get; } = document;
    public ITrustedRegistries Registries { get; } = registries;
    public DateTimeOffset Now { get; } = now;

    // Set by `format`.
    public JsonObject Credential { get; set; } = null!;
    public AnchorProof Proof { get; set; } = null!;
    public IssuerDid IssuerDid { get; set; } = null!;

    // Set by `registry`, `anchor` and `revocation`.
    public IChainReader Chain { get; set; } = null!;
    public ChainVerdict? Verdict { get; set; }
    public RevocationRecord? Revocation { get; set; }
}
