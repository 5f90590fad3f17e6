using System.Text.Json.Nodes;
using Registry.Signatures;

namespace Registry.Credentials;

/// <summary>
/// The file a learner carries: the issued credential with its proof set, the anchor proof and the
/// issuer's <c>eddsa-rdfc-2022</c> signature, both over the credential without <c>proof</c>.
/// </summary>
public static class PortableCredential
{
    /// <summary>
    /// The largest portable credential any verifier reads (<c>POST /verify</c>, the CLI, a share link on the
    /// page). Its credential came in as at most 1 MiB, but JSON answers escape each character outside the
    /// Basic Multilingual Plane as two \u escapes (12 bytes for 4), so the file a learner holds can be three
    /// times that, plus the proof.
    /// </summary>
    public const int MaxBytes = 4 << 20;

    /// <summary>
    /// Signs <paramref name="credential"/> (without its proof) with the issuer's key and adds the proof set.
    /// Ed25519 is deterministic: the same credential, key and <paramref name="signedAt"/> give the same
    /// signature every time, so it need not be stored. Throws <see cref="LinkedData.JsonLdException"/>
    /// when the credential cannot be canonicalised in safe mode.
    /// </summary>
    public static JsonObject Sign(JsonObject credential, AnchorProof anchor, Ed25519KeyPair key, DateTimeOffset signedAt)
    {
        var unsecured = WithoutProof(credential);
        return Compose(unsecured, anchor, EddsaRdfc2022.CreateProof(unsecured, key, signedAt));
    }

    /// <summary>The credential with the proof set of <paramref name="anchor"/> and the issuer's <paramref name="signature"/>.</summary>
    public static JsonObject Compose(JsonObject credential, AnchorProof anchor, JsonObject signature)
    {
        var portable = WithoutProof(credential);
        portable["proof"] = new JsonArray(anchor.ToJson(), signature.DeepClone());
        return portable;
    }

    /// <summary>The credential exactly as its digest was computed: everything but <c>proof</c>.</summary>
    public static JsonObject WithoutProof(JsonObject portable)
    {
        var credential = new JsonObject();
        foreach (var (name, value) in portable)
            if (name != "proof") credential[name] = value?.DeepClone();
        return credential;
    }
}
