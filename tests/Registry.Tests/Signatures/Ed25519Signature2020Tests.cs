using System.Text.Json.Nodes;
using Registry.Signatures;

namespace Registry.Tests.Signatures;

/// <summary>
/// The <c>Ed25519Signature2020</c> suite that wallets sign their presentations with: a presentation signed by
/// @digitalcredentials/vc with @digitalcredentials/ed25519-signature-2020 (as the Learner Credential Wallet signs it; made by
/// tests/interop/wallet.mjs's libraries) verifies here, and each change to it does not.
/// </summary>
public sealed class Ed25519Signature2020Tests
{
    private const string ByTheWalletLibraries = """
        {"@context":["https://www.w3.org/ns/credentials/v2","https://w3id.org/security/suites/ed25519-2020/v1"],"type":["VerifiablePresentation"],
        "holder":"did:key:z6MkeYtSpCrXB2sPgZo4hZBYeC1d5EWdfwKyBAq8LYTx8uZT","proof":{"type":"Ed25519Signature2020","created":"2026-12-07T11:48:56Z",
        "verificationMethod":"did:key:z6MkeYtSpCrXB2sPgZo4hZBYeC1d5EWdfwKyBAq8LYTx8uZT#z6MkeYtSpCrXB2sPgZo4hZBYeC1d5EWdfwKyBAq8LYTx8uZT",
        "proofPurpose":"authentication","challenge":"abc","domain":"http://127.0.0.1:5080",
        "proofValue":"zhJBKKcdg99zZkFZdbYBt5CXSgFE8rZmaUpFD7AX3EmpNpTDh3wRoRQ2uqma6ixc8Tv24nyD1auUECwvXbE8nLKn"}}
        """;

    private static ProofVerification Verify(JsonObject presentation) =>
        Ed25519Signature2020.VerifyProof(presentation, presentation["proof"]!.AsObject(), "authentication");

    [Fact]
    public void A_presentation_the_wallet_libraries_signed_verifies_and_any_change_fails()
    {
        var signed = JsonNode.Parse(ByTheWalletLibraries)!.AsObject();
        var verified = Verify(signed);
        Assert.True(verified.Verified, verified.Reason);
        Assert.Equal("did:key:z6MkeYtSpCrXB2sPgZo4hZBYeC1d5EWdfwKyBAq8LYTx8uZT", verified.VerificationMethod!.Split('#')[0]);

        foreach (var (field, value) in new[] { ("challenge", "abd"), ("domain", "http://127.0.0.1:5081"), ("created", "2026-12-07T11:48:57Z") })
        {
            var changed = signed.DeepClone().AsObject();
            changed["proof"]![field] = value;
            Assert.Equal(ProofFailure.BadSignature, Verify(changed).Failure);
        }
        var otherHolder = signed.DeepClone().AsObject();
        otherHolder["holder"] = DidKey.For(Ed25519Keys.Generate().PublicKey);
        Assert.Equal(ProofFailure.BadSignature, Verify(otherHolder).Failure);
        // For another purpose than the one asked for, it does not count.
        Assert.False(Ed25519Signature2020.VerifyProof(signed, signed["proof"]!.AsObject()).Verified);
        // Without the suite's context, the proof's terms mean nothing.
        var withoutContext = signed.DeepClone().AsObject();
        withoutContext["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2");
        Assert.Equal(ProofFailure.MalformedProof, Verify(withoutContext).Failure);
    }

    [Fact]
    public void What_the_registry_signs_verifies_as_the_wallet_libraries_sign()
    {
        var key = Ed25519Keys.Generate();
        var presentation = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
            ["type"] = new JsonArray("VerifiablePresentation"),
            ["holder"] = DidKey.For(key.PublicKey),
        };
        var signed = Ed25519Signature2020.Sign(presentation, key, DateTimeOffset.UtcNow, "authentication", "c", "d");
        Assert.Equal(Ed25519Signature2020.ContextUrl, signed["@context"]![1]!.GetValue<string>());
        Assert.True(Verify(signed).Verified);
    }
}
