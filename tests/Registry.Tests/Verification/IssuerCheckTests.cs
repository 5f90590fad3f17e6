using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nethereum.Signer;
using Registry.Chain;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Merkle;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Verification;

/// <summary>Anchoring is not enough: the credential's own issuer must have anchored the root.</summary>
[Collection(RegistryCollection.Name)]
public sealed class IssuerCheckTests(SharedRegistry registry)
{
    [Fact]
    public async Task A_credential_anchored_by_another_admitted_account_fails_at_anchor()
    {
        // An impostor the operator admitted in good faith anchors a credential that claims the real issuer.
        var connection = new ChainConnection(registry.Node.RpcUrl);
        var impostorKey = "0x" + EthECKey.GenerateKey().GetPrivateKey().TrimStart('0', 'x').PadLeft(64, '0');
        var operatorWriter = new RegistryWriter(connection, DevelopmentChain.OperatorKey, DevelopmentChain.ChainId, registry.Contract);
        var impostor = new RegistryWriter(connection, impostorKey, DevelopmentChain.ChainId, registry.Contract);
        await operatorWriter.AddIssuerAsync(impostor.Address, "Impostor College", SigningKeys.NewPublicKey());
        await operatorWriter.FundAsync(impostor.Address, 1m);

        var forged = PortableCredential.WithoutProof(registry.CopyOfPortable());
        forged["credentialSubject"]!["id"] = "did:example:eve";
        var salt = CredentialDigest.NewSalt();
        var digest = CredentialDigest.Compute(salt, forged);
        var tree = MerkleTree.Build([digest, CredentialDigest.NewSalt()]);
        var transaction = await impostor.SendAnchorAsync(connection, tree.Root, 2);
        var mined = await connection.GetMinedAsync(transaction);
        var anchoredAt = (await connection.ContractReader(registry.Contract).GetAnchorAsync(impostor.Address, tree.Root))!.AnchoredAt;

        var proof = new AnchorProof($"{registry.Issuer.Did}#blockchainAccountId", anchoredAt, salt, digest, tree.Root,
            tree.GetProof(0), new AnchorLocation(DevelopmentChain.ChainId, registry.Contract, transaction, mined!.BlockNumber,
                BatchIds.For(registry.Issuer.Address, tree.Root)));
        // Signed with the real issuer's key, so that only the anchor can tell.
        var result = await registry.App.VerifyAsync(PortableCredential.Sign(forged, proof, registry.App.SigningKeyOf(registry.Issuer), DateTimeOffset.UnixEpoch));

        Assert.False(result["verified"]!.GetValue<bool>());
        var failed = result["checks"]!.AsArray().Single(c => c!["status"]!.GetValue<string>() == "failed")!;
        // Anchors are keyed by (issuer, root): the impostor's anchor is not the real issuer's.
        Assert.Equal("anchor", failed["name"]!.GetValue<string>());
        Assert.Contains(registry.Issuer.Address, failed["message"]!.GetValue<string>());
        Assert.Contains("never anchored", failed["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_root_that_was_never_anchored_fails_at_anchor()
    {
        var credential = PortableCredential.WithoutProof(registry.CopyOfPortable());
        var salt = CredentialDigest.NewSalt();
        var digest = CredentialDigest.Compute(salt, credential);
        var tree = MerkleTree.Build([digest]);
        var proof = new AnchorProof($"{registry.Issuer.Did}#blockchainAccountId", DateTimeOffset.UtcNow, salt, digest, tree.Root,
            [], new AnchorLocation(DevelopmentChain.ChainId, registry.Contract, "0x" + new string('a', 64), 1, BatchIds.For(registry.Issuer.Address, tree.Root)));

        var result = await registry.App.VerifyAsync(PortableCredential.Sign(credential, proof, registry.App.SigningKeyOf(registry.Issuer), DateTimeOffset.UnixEpoch));

        var failed = result["checks"]!.AsArray().Single(c => c!["status"]!.GetValue<string>() == "failed")!;
        Assert.Equal("anchor", failed["name"]!.GetValue<string>());
        Assert.Contains("never anchored", failed["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wrong_creation_time_fails_at_anchor()
    {
        var document = registry.CopyOfPortable();
        document.AnchorProof()["created"] = "2020-02-02T02:02:02Z";

        var result = await registry.App.VerifyAsync(document);

        var failed = result["checks"]!.AsArray().Single(c => c!["status"]!.GetValue<string>() == "failed")!;
        Assert.Equal("anchor", failed["name"]!.GetValue<string>());
    }
}
