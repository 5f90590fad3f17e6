using Registry.Chain;
using Registry.Hashing;
using Registry.Tests.Infrastructure;
using Registry.Verification.Rpc;

namespace Registry.Tests.Verification;

/// <summary>The plain JSON-RPC reader (the browser verifier's) reads the contract exactly as the Nethereum reader does.</summary>
[Collection(RegistryCollection.Name)]
public sealed class JsonRpcChainReaderTests(SharedRegistry registry)
{
    private static readonly HttpClient Http = new();
    private JsonRpcChainReader Plain => new(Http, registry.Node.RpcUrl, registry.Contract);
    private EthereumChainReader Nethereum => new(new ChainConnection(registry.Node.RpcUrl).Reader, registry.Contract);

    private Bytes32 Field(string name) => Bytes32.Parse(registry.Portable["proof"]![name]!.GetValue<string>());
    private IReadOnlyList<Bytes32> MerkleProof => registry.Portable["proof"]!["merkleProof"]!.AsArray().Select(p => Bytes32.Parse(p!.GetValue<string>())).ToList();

    [Fact]
    public async Task Verify_answers_as_the_nethereum_reader_does()
    {
        var issuer = registry.Issuer.Address;
        var plain = await Plain.VerifyAsync(issuer, Field("merkleRoot"), Field("digest"), MerkleProof);
        Assert.True(plain.Included);
        Assert.True(plain.IssuerTrusted);
        Assert.Equal(await Nethereum.VerifyAsync(issuer, Field("merkleRoot"), Field("digest"), MerkleProof), plain);

        var wrongDigest = await Plain.VerifyAsync(issuer, Field("merkleRoot"), Field("merkleRoot"), MerkleProof);
        Assert.False(wrongDigest.Included);
    }

    [Fact]
    public async Task The_chain_id_receipt_issuer_and_anchor_read_as_the_nethereum_reader_reads_them()
    {
        var issuer = registry.Issuer.Address;
        var transaction = registry.Portable["proof"]!["anchor"]!["transactionHash"]!.GetValue<string>();
        Assert.Equal(31337, await Plain.GetChainIdAsync());
        var receipt = await Plain.GetAnchoringReceiptAsync(transaction);
        var expected = await Nethereum.GetAnchoringReceiptAsync(transaction);
        Assert.NotNull(receipt);
        Assert.Equal(expected!.BlockNumber, receipt.BlockNumber);
        Assert.Equal(expected.Anchors, receipt.Anchors);
        Assert.True(receipt.Anchored(issuer, Field("merkleRoot")));
        Assert.Equal(await Nethereum.GetIssuerAsync(issuer), await Plain.GetIssuerAsync(issuer));
        Assert.Equal(await Nethereum.GetAnchorAsync(issuer, Field("merkleRoot")), await Plain.GetAnchorAsync(issuer, Field("merkleRoot")));
    }

    [Fact]
    public async Task Unknown_things_read_as_absent_and_an_unreachable_node_says_so()
    {
        var issuer = registry.Issuer.Address;
        Assert.Null(await Plain.GetAnchorAsync(issuer, Bytes32.Parse("0x" + new string('1', 64))));
        Assert.Null(await Plain.GetIssuerAsync("0x" + new string('2', 40)));
        Assert.Null(await Plain.GetRevocationAsync(issuer, Bytes32.Parse("0x" + new string('3', 64))));
        Assert.Null(await Plain.GetAnchoringReceiptAsync("0x" + new string('4', 64)));

        var nowhere = new JsonRpcChainReader(Http, new Uri($"http://127.0.0.1:{LocalNode.FreePort()}"), registry.Contract);
        var e = await Assert.ThrowsAsync<RpcUnreachableException>(() => nowhere.GetChainIdAsync());
        Assert.Contains("cannot be reached", e.Message);
    }
}
