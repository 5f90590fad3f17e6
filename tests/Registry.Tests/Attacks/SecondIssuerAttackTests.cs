using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Registry.Chain;
using Registry.Chain.Contract;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Merkle;
using Registry.Tests.Api;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Attacks;

/// <summary>
/// A second admitted issuer acting in bad faith, for real: it signs with its own key, straight to the
/// contract, the way anyone holding an admitted key could. None of it may touch the victim's records.
/// </summary>
[Collection(RegistryCollection.Name)]
[Trait(TestStore.Trait, TestStore.Each)]
public sealed class SecondIssuerAttackTests(SharedRegistry registry)
{
    [Fact]
    public async Task A_stray_revocation_by_another_issuer_changes_nothing_for_the_real_issuer()
    {
        await using var started = await RegistryApp.StartWithIssuerAsync(registry.Node.RpcUrl, "Honest University");
        var (app, victim, victimClient) = started;
        var mallory = await app.CreateIssuerAsync("Mallory Institute");
        var ids = await app.IssueAndAnchorAsync(victimClient, Samples.Badge("did:example:alice"));
        var portable = await victimClient.PortableAsync(ids[0]);
        var proof = portable.AnchorProof();
        var digest = Bytes32.Parse(proof["digest"]!.GetValue<string>());
        var victimRoot = Bytes32.Parse(proof["merkleRoot"]!.GetValue<string>());
        var victimPath = proof["merkleProof"]!.AsArray().Select(h => Bytes32.Parse(h!.GetValue<string>())).ToList();
        var contract = proof["anchor"]!["registry"]!.GetValue<string>();

        // Mallory cannot revoke in the victim's root...
        var malloryWriter = WriterOf(app, mallory, registry.Node.RpcUrl, contract);
        var refused = await Assert.ThrowsAsync<ContractRevertedException>(() => malloryWriter.RevokeAsync(victimRoot, digest, victimPath, "mine now"));
        Assert.Equal("RootNotAnchored", refused.ErrorName);

        // ...so she puts the victim's digest in a root of her own, anchors it and revokes it there.
        var tree = MerkleTree.Build([digest, CredentialDigest.NewSalt()]);
        var connection = new ChainConnection(registry.Node.RpcUrl);
        Assert.True((await connection.GetMinedAsync(await malloryWriter.SendAnchorAsync(connection, tree.Root, 2)))!.Succeeded);
        Assert.True(tree.TryIndexOf(digest, out var index));
        await malloryWriter.RevokeAsync(tree.Root, digest, tree.GetProof(index), "revoked by someone else");

        // The victim's credential still verifies, and the store has recorded nothing.
        Assert.True((await app.VerifyAsync(portable))["verified"]!.GetValue<bool>());
        Assert.Equal("anchored", (await victimClient.GetFromJsonAsync<JsonObject>($"/credentials/{ids[0]}"))!["status"]!.GetValue<string>());
        var reader = connection.ContractReader(contract);
        Assert.Null(await reader.GetRevocationAsync(victim.Address, digest));

        // The real issuer's own revocation goes through, with its own reason, everywhere.
        var revoked = await victimClient.PostAsJsonAsync($"/credentials/{ids[0]}/revoke", new { reason = "issued in error" });
        Assert.Equal(HttpStatusCode.Accepted, revoked.StatusCode);
        var status = (await victimClient.GetFromJsonAsync<JsonObject>($"/credentials/{ids[0]}"))!;
        Assert.Equal("revoked", status["status"]!.GetValue<string>());
        Assert.Equal("issued in error", status["revocationReason"]!.GetValue<string>());
        var verdict = await app.VerifyAsync(portable);
        Assert.Equal("revocation", verdict.FailedCheck()!["name"]!.GetValue<string>());
        Assert.Contains("issued in error", verdict.FailedCheck()!["message"]!.GetValue<string>());
        Assert.Equal("issued in error", (await reader.GetRevocationAsync(victim.Address, digest))!.Reason);

        var auditor = await app.CreateAuditorAsync();
        var audited = (await auditor.GetFromJsonAsync<JsonObject>($"/audit/revocations?issuer={victim.Id}"))!["items"]!.AsArray();
        var entry = Assert.Single(audited);
        Assert.Equal(digest.ToString(), entry!["digest"]!.GetValue<string>());
        Assert.Equal("issued in error", entry["reason"]!.GetValue<string>());
        Assert.Equal("revoked by someone else",
            Assert.Single((await auditor.GetFromJsonAsync<JsonObject>($"/audit/revocations?issuer={mallory.Id}"))!["items"]!.AsArray())!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_root_copied_from_the_mempool_and_anchored_first_does_not_block_the_real_issuer()
    {
        var node = new LocalAnvilNode();
        await node.InitializeAsync();
        try
        {
            await using var started = await RegistryApp.StartWithIssuerAsync(node.RpcUrl, "Honest University");
            var (app, victim, victimClient) = started;
            var mallory = await app.CreateIssuerAsync("Mallory Institute");

            await node.RpcAsync("evm_setAutomine", false);
            var (ids, batchId) = await victimClient.IssueAndSealAsync(Samples.Badge("did:example:alice"), Samples.Badge("did:example:bob"));
            var submitted = await RegistryApp.WaitForBatchAsync(victimClient, batchId, "submitted");
            var victimHash = submitted["transactionHash"]!.GetValue<string>();

            // Mallory reads the pending transaction and sends the same root first, with a higher tip.
            var pending = await node.RpcAsync("eth_getTransactionByHash", victimHash);
            var input = Convert.FromHexString(pending.GetProperty("input").GetString()![2..]);
            var root = Bytes32.FromSpan(input.AsSpan(4, 32));
            var count = (uint)new BigInteger(input.AsSpan(36, 32), isUnsigned: true, isBigEndian: true);
            Assert.Equal(submitted["root"]!.GetValue<string>(), root.ToString());
            var victimTip = Quantity(pending, "maxPriorityFeePerGas") ?? Quantity(pending, "gasPrice")!.Value;
            var victimCap = Quantity(pending, "maxFeePerGas") ?? Quantity(pending, "gasPrice")!.Value;
            var contract = await ContractOf(app);
            var malloryWeb3 = new Web3(new Account(app.PrivateKeyOf(mallory), DevelopmentChain.ChainId), node.RpcUrl.ToString());
            var squatHash = await malloryWeb3.Eth.GetContractTransactionHandler<AnchorFunction>().SendRequestAsync(contract, new AnchorFunction
            {
                Root = root.ToArray(), Count = count, Gas = 100_000, MaxPriorityFeePerGas = victimTip * 3 + 1, MaxFeePerGas = victimCap * 3 + 1,
            });
            await node.RpcAsync("evm_mine");

            // Both were mined in one block, Mallory's first, and both succeeded.
            var block = await node.RpcAsync("eth_getBlockByNumber", "latest", false);
            var order = block.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()!.ToLowerInvariant()).ToList();
            Assert.True(order.IndexOf(squatHash.ToLowerInvariant()) is >= 0 and var first && first < order.IndexOf(victimHash), string.Join(", ", order));
            var connection = new ChainConnection(node.RpcUrl);
            Assert.True((await connection.GetMinedAsync(squatHash))!.Succeeded);
            Assert.True((await connection.GetMinedAsync(victimHash))!.Succeeded);
            await node.RpcAsync("evm_setAutomine", true);

            // The victim's batch is anchored as if nothing happened, and its credentials verify.
            var anchored = await RegistryApp.WaitForBatchAsync(victimClient, batchId, "anchored");
            Assert.Null(anchored["lastError"]?.GetValue<string>());
            foreach (var id in ids)
                Assert.True((await app.VerifyAsync(await victimClient.PortableAsync(id)))["verified"]!.GetValue<bool>());

            // Mallory's copy is an anchor of hers: a credential of the victim's claiming it fails.
            var reader = connection.ContractReader(contract);
            Assert.NotNull(await reader.GetAnchorAsync(mallory.Address, root));
            var forged = await victimClient.PortableAsync(ids[0]);
            forged.AnchorProof()["anchor"]!["transactionHash"] = squatHash.ToLowerInvariant();
            Assert.Equal("anchor", (await app.VerifyAsync(forged)).FailedCheck()!["name"]!.GetValue<string>());
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_verifier_is_never_told_to_trust_a_forgers_own_contract()
    {
        // The forger deploys a contract of her own, admits herself under the victim's name and anchors.
        var connection = new ChainConnection(registry.Node.RpcUrl);
        var forgerKey = "0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await new RegistryWriter(connection, DevelopmentChain.OperatorKey, DevelopmentChain.ChainId, registry.Contract).FundAsync(DevelopmentChain.AddressOf(forgerKey), 1m);
        var forgedContract = (await RegistryWriter.DeployAsync(connection, forgerKey, DevelopmentChain.ChainId)).Address;
        var forger = new RegistryWriter(connection, forgerKey, DevelopmentChain.ChainId, forgedContract);
        await forger.AddIssuerAsync(registry.Issuer.Address, "Open University of Testing", SigningKeys.NewPublicKey());

        // Her document is consistent: its status names her contract too, and its digest and proof agree.
        var document = registry.CopyOfPortable();
        Registry.Tests.Verification.TamperingTests.Reanchor(document, "registry", forgedContract);
        var verdict = await registry.App.VerifyAsync(document);

        var failed = verdict.FailedCheck()!;
        Assert.Equal("registry", failed["name"]!.GetValue<string>());
        Assert.DoesNotContain(forgedContract, failed["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(registry.Contract, failed["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    private static RegistryWriter WriterOf(RegistryApp app, CreatedIssuer issuer, Uri rpcUrl, string contract) =>
        new(new ChainConnection(rpcUrl), app.PrivateKeyOf(issuer), DevelopmentChain.ChainId, contract);

    private static async Task<string> ContractOf(RegistryApp app) =>
        (await app.CreateClient().GetFromJsonAsync<JsonObject>("/health"))!["registry"]!.GetValue<string>();

    private static BigInteger? Quantity(JsonElement transaction, string field) =>
        transaction.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? BigInteger.Parse("0" + value.GetString()![2..], System.Globalization.NumberStyles.HexNumber) : null;
}
