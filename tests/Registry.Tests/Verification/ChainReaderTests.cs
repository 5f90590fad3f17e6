using Registry.Chain;
using Registry.Hashing;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Verification;

/// <summary>The chain adapter reads what the contract recorded, events included.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ChainReaderTests(SharedRegistry registry)
{
    private Registry.Verification.Rpc.JsonRpcChainReader Reader => new ChainConnection(registry.Node.RpcUrl).ContractReader(registry.Contract);

    [Fact]
    public async Task The_anchoring_transaction_is_found_from_its_event()
    {
        var proof = registry.Portable.AnchorProof();
        var found = await Reader.FindAnchoringAsync(registry.Issuer.Address, Bytes32.Parse(proof["merkleRoot"]!.GetValue<string>()), 0);

        Assert.NotNull(found);
        Assert.Equal(proof["anchor"]!["transactionHash"]!.GetValue<string>(), found.Value.TransactionHash);
        Assert.Equal(proof["anchor"]!["blockNumber"]!.GetValue<long>(), found.Value.BlockNumber);
    }

    [Fact]
    public async Task Unknown_roots_issuers_and_digests_read_as_absent()
    {
        var issuer = registry.Issuer.Address;
        Assert.Null(await Reader.GetAnchorAsync(issuer, Bytes32.Parse("0x" + new string('1', 64))));
        Assert.Null(await Reader.FindAnchoringAsync(issuer, Bytes32.Parse("0x" + new string('1', 64)), 0));
        Assert.Null(await Reader.GetIssuerAsync("0x" + new string('2', 40)));
        Assert.Null(await Reader.GetRevocationAsync(issuer, Bytes32.Parse("0x" + new string('3', 64))));
        Assert.Null(await Reader.GetAnchoringReceiptAsync("0x" + new string('4', 64)));
    }

    [Fact]
    public async Task The_issuer_record_reads_back()
    {
        var issuer = await Reader.GetIssuerAsync(registry.Issuer.Address);
        Assert.NotNull(issuer);
        Assert.Equal("Open University of Testing", issuer.Name);
        Assert.Null(issuer.RemovedAt);
        Assert.Null(issuer.TrustedUntil);
    }

    [Fact]
    public async Task Another_issuers_anchor_of_the_same_root_is_not_this_issuers()
    {
        var root = Bytes32.Parse(registry.Portable.AnchorProof()["merkleRoot"]!.GetValue<string>());
        Assert.NotNull(await Reader.GetAnchorAsync(registry.Issuer.Address, root));
        Assert.Null(await Reader.GetAnchorAsync("0x" + new string('5', 40), root));
    }

    [Fact]
    public async Task The_anchoring_receipt_names_the_issuer_and_root_it_anchored()
    {
        var proof = registry.Portable.AnchorProof();
        var receipt = await Reader.GetAnchoringReceiptAsync(proof["anchor"]!["transactionHash"]!.GetValue<string>());
        Assert.NotNull(receipt);
        Assert.Equal(proof["anchor"]!["blockNumber"]!.GetValue<long>(), receipt.BlockNumber);
        Assert.True(receipt.Anchored(registry.Issuer.Address, Bytes32.Parse(proof["merkleRoot"]!.GetValue<string>())));
        Assert.False(receipt.Anchored(registry.Issuer.Address, Bytes32.Parse(proof["digest"]!.GetValue<string>())));
    }
}

[Collection(RegistryCollection.Name)]
public sealed class ContractVerifyTests(SharedRegistry registry)
{
    [Fact]
    public async Task The_contracts_verify_agrees_with_the_portable_proof()
    {
        var reader = new ChainConnection(registry.Node.RpcUrl).ContractReader(registry.Contract);
        var proof = registry.Portable.AnchorProof();
        var digest = Bytes32.Parse(proof["digest"]!.GetValue<string>());
        var root = Bytes32.Parse(proof["merkleRoot"]!.GetValue<string>());
        var path = proof["merkleProof"]!.AsArray().Select(h => Bytes32.Parse(h!.GetValue<string>())).ToList();

        var issuer = registry.Issuer.Address;
        var good = await reader.VerifyAsync(issuer, root, digest, path);
        Assert.True(good.Included);
        Assert.True(good.IssuerTrusted);
        Assert.Equal(DateTimeOffset.Parse(proof["created"]!.GetValue<string>()), good.AnchoredAt);
        Assert.Null(good.RevokedAt);

        var wrongDigest = await reader.VerifyAsync(issuer, root, Bytes32.Parse("0x" + new string('4', 64)), path);
        Assert.False(wrongDigest.Included);

        var wrongIssuer = await reader.VerifyAsync("0x" + new string('5', 40), root, digest, path);
        Assert.False(wrongIssuer.Included);
        Assert.Null(wrongIssuer.AnchoredAt);
    }
}
