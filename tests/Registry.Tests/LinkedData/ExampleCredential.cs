using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Identity;
using Registry.Signatures;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.LinkedData;

/// <summary>The README's example credential (amara.json) as an earlier run of its walk-through issued it: docs/examples/badge.json as the registry completes it, with that run's proof.</summary>
public static class ExampleCredential
{
    public static JsonObject WithoutProof()
    {
        var badge = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "examples", "badge.json")))!.AsObject();
        var did = IssuerDid.For(31337, "0x0fd895d51c861ffcb47c543f429797e585b11721");
        RegistryFields.Apply(badge, "urn:uuid:0b0e6f4e-3f5c-4c55-9d43-6f1f0d1a2b3c",
            new IssuerProfileFields(DidKey.For(SigningKey.PublicKey), "Open University of Lagos", "https://oul.example", "A public university of distance learning."),
            StatusListEntry.For(new Uri("https://registry.oul.example"), "3f2c9a4e-8d1b-4c6f-9e2a-5b7d0c1e4f6a", 42),
            CredentialStatusEntry.For(did, "0x5fbdb2315678afecb367f032d93f642f64180aa3"));
        return badge;
    }

    /// <summary>The issuer's signing key: the public example key of W3C vc-di-eddsa, as the API reference signs with.</summary>
    public static Ed25519KeyPair SigningKey => Registry.Api.Reference.CredentialExamples.ExampleKey;

    public static JsonObject WithProof()
    {
        var credential = WithoutProof();
        var anchor = JsonNode.Parse("""
            {
              "type": "EthereumMerkleAnchor2026",
              "proofPurpose": "assertionMethod",
              "verificationMethod": "did:pkh:eip155:31337:0x0fd895d51c861ffcb47c543f429797e585b11721#blockchainAccountId",
              "created": "2026-11-29T15:39:54Z",
              "salt": "0x76b312c43fabb29bd2c2a6633ab7cf47643c8303f09b53cbb40934a0fdba2fff",
              "digest": "0x3f72a98bdf1d42316e4c99fe67729a630f400fa044f4c047d243a89ccca1f9b3",
              "merkleRoot": "0x87d66a3fbb086ebec0fadf27f50b5c7e14ed3bf542c2b627c5bc95bd3a7d9247",
              "merkleProof": [],
              "anchor": {
                "chainId": 31337,
                "registry": "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                "transactionHash": "0x6541b563b56cc77cffd8f731bf2b26186c8cf07bdd8b8ce59c42c3859b18a95e",
                "blockNumber": 4,
                "batchId": "161aab61b9e593b603c545915aa1852d"
              }
            }
            """)!.AsObject();
        var signature = EddsaRdfc2022.CreateProof(credential, SigningKey, DateTimeOffset.Parse("2026-11-29T15:39:50Z", System.Globalization.CultureInfo.InvariantCulture));
        credential["proof"] = new JsonArray(anchor, signature);
        return credential;
    }
}
