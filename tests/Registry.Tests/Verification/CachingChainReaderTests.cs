using Nethereum.JsonRpc.Client;
using Nethereum.Web3;
using Registry.Chain;
using Registry.Hashing;
using Registry.Tests.Infrastructure;
using Registry.Verification;

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
    public async Task Anchors_and_issuers_are_asked_once_and_missing_revocations_every_time()
    {
        var handler = new CountingHandler();
        var web3 = new Web3(new RpcClient(registry.Node.RpcUrl, httpClientHandler: handler));
        var reader = new CachingChainReader(new EthereumChainReader(web3, registry.Contract));
        var proof = registry.Portable["proof"]!;
        var root = Bytes32.Parse(proof["merkleRoot"]!.GetValue<string>());
        var digest = Bytes32.Parse(proof["digest"]!.GetValue<string>());

        for (var i = 0; i < 3; i++)
        {
            Assert.NotNull(await reader.GetAnchorAsync(root));
            Assert.NotNull(await reader.GetIssuerAsync(registry.Issuer.Address));
            Assert.Null(await reader.GetRevocationAsync(digest));
        }

        // One request each for the anchor and the issuer; the missing revocation is asked all three times.
        Assert.Equal(1 + 1 + 3, handler.Requests);

        // An unknown root is asked again each time: it may be anchored later.
        var unknown = Bytes32.Parse("0x" + new string('6', 64));
        Assert.Null(await reader.GetAnchorAsync(unknown));
        Assert.Null(await reader.GetAnchorAsync(unknown));
        Assert.Equal(7, handler.Requests);
    }
}
