using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Merkle;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Verification;

/// <summary>Every way of tampering with an anchored credential fails at the check that owns it, through the real API and chain.</summary>
[Collection(RegistryCollection.Name)]
public sealed class TamperingTests(SharedRegistry registry)
{
    public static TheoryData<string, string> Cases => new()
    {
        { "subject field", "digest" },
        { "validFrom", "digest" },
        { "salt", "digest" },
        { "digest", "digest" },
        { "one proof hash", "merkle" },
        { "added proof hash", "merkle" },
        { "root", "merkle" },
        { "registry address", "registry" },
        { "chain id", "registry" },
        { "issuer name", "digest" },
        { "swapped signature", "signature" },
        { "garbled signature", "signature" },
        { "signature time", "signature" },
        { "signature of another key", "format" },
        { "proof type", "format" },
        { "proof set of one", "format" },
        { "missing proof", "format" },
        { "status registry", "format" },
        { "status chain id", "format" },
        { "status issuer", "format" },
        { "missing status", "format" },
        { "status of another type", "format" },
        { "status as the chain entry alone", "format" },
        { "status entries swapped", "format" },
        { "status list entry alone", "format" },
        { "status list purpose suspension", "format" },
        { "status list index beyond the list", "format" },
        { "status list id not its list and index", "format" },
        { "status list entry with an extra field", "format" },
        { "status list index moved", "digest" },
        { "proof anchor without its status", "format" },
    };

    [Fact]
    public async Task The_untouched_credential_passes_every_check()
    {
        var result = await registry.App.VerifyAsync(registry.CopyOfPortable());

        Assert.True(result["verified"]!.GetValue<bool>(), result.ToJsonString());
        var checks = result["checks"]!.AsArray();
        Assert.Equal(["format", "digest", "signature", "merkle", "registry", "anchor", "issuer", "revocation", "validity", "components"],
            checks.Select(c => c!["name"]!.GetValue<string>()));
        Assert.All(checks, c => Assert.Equal("passed", c!["status"]!.GetValue<string>()));
        // The issuer is named as the chain names it; its did:key and account beside.
        Assert.Equal(SharedRegistry.IssuerName, result["issuer"]!.GetValue<string>());
        Assert.Equal(registry.Issuer.DidKey, result["issuerId"]!.GetValue<string>());
        Assert.Equal(registry.Issuer.Did, result["issuerAccount"]!.GetValue<string>());
        Assert.NotNull(result["anchoredAt"]);
        Assert.True(result.ContainsKey("revokedAt"));
        Assert.Null(result["revokedAt"]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Tampering_fails_at_its_check(string tampering, string failingCheck)
    {
        var document = registry.CopyOfPortable();
        Tamper(document, tampering);

        var result = await registry.App.VerifyAsync(document);

        Assert.False(result["verified"]!.GetValue<bool>());
        var checks = result["checks"]!.AsArray().Select(c => (Name: c!["name"]!.GetValue<string>(), Status: c["status"]!.GetValue<string>(), Message: c["message"]!.GetValue<string>())).ToList();
        var failed = Assert.Single(checks, c => c.Status == "failed");
        Assert.Equal(failingCheck, failed.Name);
        Assert.False(string.IsNullOrWhiteSpace(failed.Message));
        var failedAt = checks.FindIndex(c => c.Name == failingCheck);
        Assert.All(checks.Take(failedAt), c => Assert.Equal("passed", c.Status));
        Assert.All(checks.Skip(failedAt + 1), c => Assert.Equal("skipped", c.Status));
    }

    [Fact]
    public async Task An_untrusted_registry_names_what_is_trusted_and_never_the_documents_address()
    {
        var document = registry.CopyOfPortable();
        Tamper(document, "registry address");

        var result = await registry.App.VerifyAsync(document);

        var message = result["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "registry")!["message"]!.GetValue<string>();
        Assert.Contains($"31337:{registry.Contract}", message);
        Assert.DoesNotContain(document.AnchorProof()["anchor"]!["registry"]!.GetValue<string>(), message, StringComparison.OrdinalIgnoreCase);
    }

    internal static void Tamper(JsonObject document, string tampering)
    {
        var proof = (document["proof"] as JsonArray)?[0] as JsonObject;
        var signature = (document["proof"] as JsonArray)?[1] as JsonObject;
        switch (tampering)
        {
            case "subject field": document["credentialSubject"]!["id"] = "did:example:mallory"; break;
            case "validFrom": document["validFrom"] = "2020-01-01T00:00:00Z"; break;
            case "salt": proof!["salt"] = FlipLastDigit(proof["salt"]!.GetValue<string>()); break;
            case "digest": proof!["digest"] = FlipLastDigit(proof["digest"]!.GetValue<string>()); break;
            case "one proof hash":
                var path = proof!["merkleProof"]!.AsArray();
                path[0] = FlipLastDigit(path[0]!.GetValue<string>());
                break;
            case "added proof hash": proof!["merkleProof"]!.AsArray().Add("0x" + new string('7', 64)); break;
            case "root": proof!["merkleRoot"] = FlipLastDigit(proof["merkleRoot"]!.GetValue<string>()); break;
            // A forger who names another registry keeps the document consistent: the status names the
            // same registry, and the digest and a one-leaf Merkle tree are computed again.
            case "registry address": Reanchor(document, "registry", "0x" + new string('5', 40)); break;
            case "chain id": Reanchor(document, "chainId", 1); break;
            case "proof anchor without its status": proof!["anchor"]!["registry"] = "0x" + new string('5', 40); break;
            case "status registry": document["credentialStatus"]![1]!["registry"] = "0x" + new string('5', 40); break;
            case "status chain id": document["credentialStatus"]![1]!["chainId"] = 1; break;
            case "status issuer": document["credentialStatus"]![1]!["issuer"] = "did:pkh:eip155:31337:0x" + new string('5', 40); break;
            case "status as the chain entry alone": document["credentialStatus"] = document["credentialStatus"]![1]!.DeepClone(); break;
            case "status entries swapped":
                var entries = document["credentialStatus"]!.AsArray();
                document["credentialStatus"] = new JsonArray(entries[1]!.DeepClone(), entries[0]!.DeepClone());
                break;
            case "status list entry alone": document["credentialStatus"] = new JsonArray(document["credentialStatus"]![0]!.DeepClone()); break;
            case "status list purpose suspension": document["credentialStatus"]![0]!["statusPurpose"] = "suspension"; break;
            case "status list index beyond the list": MoveInList(document, "131072"); break;
            case "status list id not its list and index": document["credentialStatus"]![0]!["id"] = "https://example.com/status/x/0#1"; break;
            case "status list entry with an extra field": document["credentialStatus"]![0]!["statusSize"] = 1; break;
            case "status list index moved": MoveInList(document, "131071"); break;
            case "missing status": document.Remove("credentialStatus"); break;
            case "status of another type":
                document["credentialStatus"] = new JsonObject
                {
                    ["id"] = "https://example.com/status/3#94567", ["type"] = "BitstringStatusListEntry", ["statusPurpose"] = "revocation",
                    ["statusListIndex"] = "94567", ["statusListCredential"] = "https://example.com/status/3",
                };
                break;
            case "issuer name": document["issuer"]!["name"] = "Famous University"; break;
            // The signature of another credential: a valid signature by the right key, over other content.
            case "swapped signature": signature!["proofValue"] = ProofSets.StrangerKey.SignedOther(document); break;
            case "garbled signature":
                var value = signature!["proofValue"]!.GetValue<string>();
                signature["proofValue"] = value[..^2] + (value[^2] == 'a' ? "bb" : "aa");
                break;
            case "signature time": signature!["created"] = "2026-01-01T00:00:00Z"; break;
            case "signature of another key": signature!["verificationMethod"] = ProofSet.VerificationMethodOf(ProofSets.StrangerDidKey); break;
            case "proof type": proof!["type"] = "DataIntegrityProof"; break;
            case "proof set of one": document["proof"] = proof!.DeepClone(); break;
            case "missing proof": document.Remove("proof"); break;
            default: throw new ArgumentOutOfRangeException(nameof(tampering), tampering, null);
        }
    }

    /// <summary>
    /// Sets a field of both the proof's anchor and the status, and makes digest, Merkle proof and signature agree
    /// again: the forger signs with a key of its own, which becomes the issuer's did:key.
    /// </summary>
    internal static void Reanchor(JsonObject document, string field, JsonNode value)
    {
        var proof = document.AnchorProof().AsObject();
        proof["anchor"]![field] = value.DeepClone();
        document["credentialStatus"]![1]![field] = value.DeepClone();
        document["issuer"]!["id"] = ProofSets.StrangerDidKey;
        var digest = CredentialDigest.Compute(Bytes32.Parse(proof["salt"]!.GetValue<string>()), PortableCredential.WithoutProof(document));
        proof["digest"] = digest.ToString();
        proof["merkleRoot"] = MerkleTree.LeafHash(digest).ToString();
        proof["merkleProof"] = new JsonArray();
        var resigned = document.Resigned(ProofSets.StrangerKey);
        document["proof"] = resigned["proof"]!.DeepClone();
    }

    /// <summary>Points the status list entry at another position of its list, keeping its id in step.</summary>
    private static void MoveInList(JsonObject document, string position)
    {
        var entry = document["credentialStatus"]![0]!;
        entry["statusListIndex"] = position;
        entry["id"] = $"{entry["statusListCredential"]!.GetValue<string>()}#{position}";
    }

    internal static string FlipLastDigit(string hex) => hex[..^1] + (hex[^1] == '0' ? '1' : '0');
}
