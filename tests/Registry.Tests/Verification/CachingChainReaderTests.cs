using Registry.Hashing;
using Registry.Tests.Infrastructure;
using Registry.Verification;
using Registry.Verification.Rpc;

namespace Registry.Tests.Verification;

/// <summary>The cache in front of the real chain reader, observed by counting the JSON-RPC requests that reach the node.</summary>
[Collection(RegistryCollection.Name)]
public sealed class CachingChainReaderTests(SharedRegistry registry)
{
    private sealed class CountingHandler : HttpClientHandler
    {
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task Chain_id_receipts_and_issuers_are_asked_once_and_verify_every_time()
    {
        var handler = new CountingHandler();
        var reader = new CachingChainReader(new JsonRpcChainReader(new HttpClient(handler), registry.Node.RpcUrl, registry.Contract));
        var proof = registry.Portable.AnchorProof();
        var root = Bytes32.Parse(proof["merkleRoot"]!.GetValue<string>());
        var digest = Bytes32.Parse(proof["digest"]!.GetValue<string>());
        var path = proof["merkleProof"]!.AsArray().Select(h => Bytes32.Parse(h!.GetValue<string>())).ToList();
        var transaction = proof["anchor"]!["transactionHash"]!.GetValue<string>();
        var issuer = registry.Issuer.Address;

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(31337, await reader.GetChainIdAsync());
            Assert.NotNull(await reader.GetAnchoringReceiptAsync(transaction));
            Assert.NotNull(await reader.GetIssuerAsync(issuer));
            Assert.Null((await reader.VerifyAsync(issuer, root, digest, path)).RevokedAt);
        }

        // One request each for the chain id, the receipt and the issuer; verify is asked all three times,
        // each time as two requests: the latest block, and the call at that block (the block it is true as of).
        Assert.Equal(1 + 1 + 1 + 3 * 2, handler.Requests);

        // A transaction the node does not know is asked again each time: it may be mined later.
        var unknown = "0x" + new string('6', 64);
        Assert.Null(await reader.GetAnchoringReceiptAsync(unknown));
        Assert.Null(await reader.GetAnchoringReceiptAsync(unknown));
        Assert.Equal(11, handler.Requests);
    }
}
