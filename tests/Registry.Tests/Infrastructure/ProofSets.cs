using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Signatures;

namespace Registry.Tests.Infrastructure;

/// <summary>The two proofs of a portable credential, and signing as an issuer (or a forger) does it outside the registry.</summary>
public static class ProofSets
{
    /// <summary>The anchor proof (<c>EthereumMerkleAnchor2026</c>), the first of the proof set.</summary>
    public static JsonObject AnchorProof(this JsonObject portable) => portable["proof"]![0]!.AsObject();

    /// <summary>The issuer's <c>eddsa-rdfc-2022</c> proof, the second of the proof set.</summary>
    public static JsonObject SignatureProof(this JsonObject portable) => portable["proof"]![1]!.AsObject();

    /// <summary>A key no issuer holds, for documents that never get past the checks before <c>signature</c>.</summary>
    public static readonly Ed25519KeyPair StrangerKey = Ed25519Keys.Generate();

    /// <summary>The did:key of <see cref="StrangerKey"/>.</summary>
    public static string StrangerDidKey => DidKey.For(StrangerKey.PublicKey);

    /// <summary>
    /// The portable credential with its signature made again by <paramref name="key"/> over the credential as it is
    /// now (its <c>issuer.id</c> unchanged: set it first to claim another issuer), keeping the anchor proof.
    /// </summary>
    public static JsonObject Resigned(this JsonObject portable, Ed25519KeyPair key)
    {
        var created = DateTimeOffset.Parse(portable.SignatureProof()["created"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var credential = PortableCredential.WithoutProof(portable);
        var signature = EddsaRdfc2022.CreateProof(credential, key, created);
        credential["proof"] = new JsonArray(portable.AnchorProof().DeepClone(), signature);
        return credential;
    }

    /// <summary>The proofValue of <paramref name="key"/>'s signature of another credential: <paramref name="portable"/> with another subject.</summary>
    public static string SignedOther(this Ed25519KeyPair key, JsonObject portable)
    {
        var other = PortableCredential.WithoutProof(portable);
        other["credentialSubject"]!["id"] = "did:example:someone-else";
        return EddsaRdfc2022.CreateProof(other, key, DateTimeOffset.UnixEpoch)["proofValue"]!.GetValue<string>();
    }

    /// <summary>A signature of the right form by <paramref name="didKey"/>, over nothing: for documents that must fail before <c>signature</c>.</summary>
    public static JsonObject PlaceholderSignature(string didKey) => new()
    {
        ["type"] = EddsaRdfc2022.ProofType,
        ["cryptosuite"] = EddsaRdfc2022.Cryptosuite,
        ["proofPurpose"] = EddsaRdfc2022.AssertionMethod,
        ["verificationMethod"] = ProofSet.VerificationMethodOf(didKey),
        ["created"] = "2026-01-01T00:00:00Z",
        ["proofValue"] = Multikey.EncodeBase58Btc(new byte[Ed25519Keys.SignatureBytes]),
    };

    /// <summary>A credential with <paramref name="anchor"/> and a real signature by <paramref name="key"/>, whose did:key becomes its issuer.</summary>
    public static JsonObject SignedAs(JsonObject credential, AnchorProof anchor, Ed25519KeyPair key)
    {
        var unsigned = PortableCredential.WithoutProof(credential);
        unsigned["issuer"]!["id"] = DidKey.For(key.PublicKey);
        return PortableCredential.Sign(unsigned, anchor, key, DateTimeOffset.UnixEpoch);
    }
}
