using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Identity;
using Registry.Signatures;

namespace Registry.Api.Reference;

/// <summary>The credentials the API reference shows as request bodies: a badge as an issuer submits it, and as a learner holds it.</summary>
public static class CredentialExamples
{
    /// <summary>
    /// An Open Badges 3.0 credential without proof, as <c>POST /credentials</c> takes it. The test suite
    /// issues this very badge, so the example is one the registry is known to accept.
    /// </summary>
    public static JsonObject Badge(string learner = "did:example:learner-1", string achievement = "Introduction to Solidity") => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"),
        ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
        ["name"] = achievement,
        ["validFrom"] = "2026-01-15T09:00:00Z",
        ["credentialSubject"] = new JsonObject
        {
            ["id"] = learner,
            ["type"] = new JsonArray("AchievementSubject"),
            ["achievement"] = new JsonObject
            {
                ["id"] = "https://example.edu/achievements/solidity-101",
                ["type"] = new JsonArray("Achievement"),
                ["name"] = achievement,
                ["description"] = "Writes, tests and deploys a simple smart contract.",
                ["criteria"] = new JsonObject { ["narrative"] = "Passed the final project with at least 80%." },
            },
        },
    };

    /// <summary>
    /// The same badge as the registry hands it out, as <c>POST /verify</c> takes it: its context, issuer
    /// profile (a did:key), status entry and proof set. The anchor's hashes are placeholders of the right
    /// shape; the signature is real, made with the public example key of W3C vc-di-eddsa.
    /// </summary>
    public static JsonObject Portable()
    {
        const string registry = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
        if (!IssuerDid.TryParse("did:pkh:eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8", out var account))
            throw new InvalidOperationException("The example's issuer account does not parse.");
        var key = ExampleKey;
        var badge = Badge();
        badge["@context"]!.AsArray().Add(RegistryContext.Create());
        badge["id"] = "urn:uuid:0b0e6f4e-3f5c-4c55-9d43-6f1f0d1a2b3c";
        badge["issuer"] = new IssuerProfileFields(DidKey.For(key.PublicKey), "Open University of Testing").ToJson();
        badge["credentialStatus"] = new JsonArray(
            StatusListEntry.For(new Uri("http://127.0.0.1:5080"), "3f2c9a4e-8d1b-4c6f-9e2a-5b7d0c1e4f6a", 42).ToJson(),
            CredentialStatusEntry.For(account, registry).ToJson());
        var anchor = new AnchorProof(account.VerificationMethod, new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero),
            Placeholder('1'), Placeholder('2'), Placeholder('3'), [Placeholder('4'), Placeholder('5')],
            new AnchorLocation(account.ChainId, registry, "0x" + new string('6', 64), 12, new string('7', 32)));
        return PortableCredential.Sign(badge, anchor, key, new DateTimeOffset(2026, 11, 29, 9, 59, 58, TimeSpan.Zero));
    }

    /// <summary>The key pair of W3C vc-di-eddsa's test vectors (TestVectors/keyPair.json): public, for examples only.</summary>
    public static Ed25519KeyPair ExampleKey { get; } = Ed25519Keys.FromPrivateKey(
        Multikey.TryDecodePrivateKey("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq", out var seed, out var error)
            ? seed
            : throw new InvalidOperationException($"The example's signing key does not decode: {error}"));

    private static Bytes32 Placeholder(char digit) => Bytes32.Parse("0x" + new string(digit, 64));
}
