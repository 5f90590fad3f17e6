using Registry.Chain;
using Registry.Hashing;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Verification;

/// <summary>The chain adapter reads what the contract recorded, events included.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ChainReaderTests(SharedRegistry registry)
{
    private EthereumChainReader Reader => new(new ChainConnection(registry.Node.RpcUrl).Reader, registry.Contract);

    [Fact]
    public async Task The_anchoring_transaction_is_found_from_its_event()
    {
        var proof = registry.Portable["proof"]!;
        var found = await Reader.FindAnchoringAsync(Bytes32.Parse(proof["merkleRoot"]!.GetValue<string>()));

        Assert.NotNull(found);
        Assert.Equal(proof["anchor"]!["transactionHash"]!.GetValue<string>(), found.Value.TransactionHash);
        Assert.Equal(proof["anchor"]!["blockNumber"]!.GetValue<long>(), found.Value.BlockNumber);
    }

    [Fact]
    public async Task Unknown_roots_issuers_and_digests_read_as_absent()
    {
        Assert.Null(await Reader.GetAnchorAsync(Bytes32.Parse("0x" + new string('1', 64))));
        Assert.Null(await Reader.FindAnchoringAsync(Bytes32.Parse("0x" + new string('1', 64))));
        Assert.Null(await Reader.GetIssuerAsync("0x" + new string('2', 40)));
        Assert.Null(await Reader.GetRevocationAsync(Bytes32.Parse("0x" + new string('3', 64))));
    }

    [Fact]
    public async Task The_issuer_record_reads_back()
    {
        var issuer = await Reader.GetIssuerAsync(registry.Issuer.Address);
        Assert.NotNull(issuer);
        Assert.Equal("Open University of Testing", issuer.Name);
        Assert.Null(issuer.RemovedAt);
    }
}

[Collection(RegistryCollection.Name)]
public sealed class ContractVerifyTests(SharedRegistry registry)
{
    [Fact]
    public async Task The_contracts_verify_agrees_with_the_portable_proof()
    {
        var reader = new EthereumChainReader(new ChainConnection(registry.Node.RpcUrl).Reader, registry.Contract);
        var proof = registry.Portable["proof"]!;
        var digest = Bytes32.Parse(proof["digest"]!.GetValue<string>());
        var root = Bytes32.Parse(proof["merkleRoot"]!.GetValue<string>());
        var path = proof["merkleProof"]!.AsArray().Select(h => Bytes32.Parse(h!.GetValue<string>())).ToList();

        var good = await reader.VerifyAsync(digest, root, path);
        Assert.True(good.Included);
        Assert.Equal(registry.Issuer.Address, good.Issuer);
        Assert.Equal(DateTimeOffset.Parse(proof["created"]!.GetValue<string>()), good.AnchoredAt);
        Assert.Null(good.RevokedAt);

        var wrongDigest = await reader.VerifyAsync(Bytes32.Parse("0x" + new string('4', 64)), root, path);
        Assert.False(wrongDigest.Included);
    }
}
