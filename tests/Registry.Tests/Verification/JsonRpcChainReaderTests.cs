using System.Net;
using System.Net.Sockets;
using System.Text;
using Registry.Hashing;
using Registry.Tests.Infrastructure;
using Registry.Verification;
using Registry.Verification.Rpc;

namespace Registry.Tests.Verification;

/// <summary>
/// The plain JSON-RPC reader, the one reader of the chain for verification (API, CLI and page): it reads
/// what the contract recorded, and a node that cannot be read says why, with a reason code.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class JsonRpcChainReaderTests(SharedRegistry registry)
{
    private static readonly HttpClient Http = new();
    private JsonRpcChainReader Plain => new(Http, registry.Node.RpcUrl, registry.Contract);

    private Bytes32 Field(string name) => Bytes32.Parse(registry.Portable.AnchorProof()[name]!.GetValue<string>());
    private IReadOnlyList<Bytes32> MerkleProof => registry.Portable.AnchorProof()["merkleProof"]!.AsArray().Select(p => Bytes32.Parse(p!.GetValue<string>())).ToList();

    [Fact]
    public async Task Verify_answers_what_the_contract_recorded()
    {
        var issuer = registry.Issuer.Address;
        var plain = await Plain.VerifyAsync(issuer, Field("merkleRoot"), Field("digest"), MerkleProof);
        Assert.True(plain.Included);
        Assert.True(plain.IssuerTrusted);
        Assert.Null(plain.RevokedAt);
        Assert.Equal(DateTimeOffset.Parse(registry.Portable.AnchorProof()["created"]!.GetValue<string>()), plain.AnchoredAt);
        Assert.NotNull(plain.AsOf);
        Assert.Equal(registry.Issuer.DidKey, global::Registry.Signatures.DidKey.For(plain.SigningKey.ToArray()));

        var wrongDigest = await Plain.VerifyAsync(issuer, Field("merkleRoot"), Field("merkleRoot"), MerkleProof);
        Assert.False(wrongDigest.Included);
    }

    [Fact]
    public async Task The_chain_id_receipt_issuer_anchor_owner_and_version_read_back()
    {
        var issuer = registry.Issuer.Address;
        var anchor = registry.Portable.AnchorProof()["anchor"]!;
        Assert.Equal(31337, await Plain.GetChainIdAsync());
        var receipt = await Plain.GetAnchoringReceiptAsync(anchor["transactionHash"]!.GetValue<string>());
        Assert.NotNull(receipt);
        Assert.Equal(anchor["blockNumber"]!.GetValue<long>(), receipt.BlockNumber);
        Assert.True(receipt.Anchored(issuer, Field("merkleRoot")));
        Assert.Equal("Open University of Testing", (await Plain.GetIssuerAsync(issuer))!.Name);
        Assert.Equal(registry.Issuer.DidKey, (await Plain.GetIssuerAsync(issuer))!.DidKey);
        Assert.Equal(DateTimeOffset.Parse(registry.Portable.AnchorProof()["created"]!.GetValue<string>()), (await Plain.GetAnchorAsync(issuer, Field("merkleRoot")))!.AnchoredAt);
        Assert.Equal(Registry.Chain.DevelopmentChain.AddressOf(Registry.Chain.DevelopmentChain.OperatorKey).ToLowerInvariant(), await Plain.GetOwnerAsync());
        Assert.Equal(3, await Plain.GetVersionAsync());
        // An account with no code has no version: not a registry.
        Assert.Equal(0, await new JsonRpcChainReader(Http, registry.Node.RpcUrl, "0x" + new string('7', 40)).GetVersionAsync());
    }

    [Fact]
    public async Task Unknown_things_read_as_absent()
    {
        var issuer = registry.Issuer.Address;
        Assert.Null(await Plain.GetAnchorAsync(issuer, Bytes32.Parse("0x" + new string('1', 64))));
        Assert.Null(await Plain.GetIssuerAsync("0x" + new string('2', 40)));
        Assert.Null(await Plain.GetRevocationAsync(issuer, Bytes32.Parse("0x" + new string('3', 64))));
        Assert.Null(await Plain.GetAnchoringReceiptAsync("0x" + new string('4', 64)));
    }

    [Fact]
    public async Task A_node_that_is_down_is_unreachable_and_named_by_its_origin_only()
    {
        var port = FreePorts.Next();
        var nowhere = new JsonRpcChainReader(Http, new Uri($"http://127.0.0.1:{port}/v3/secret-provider-key"), registry.Contract);
        var e = await Assert.ThrowsAsync<NodeUnavailableException>(() => nowhere.GetChainIdAsync());
        Assert.Equal(UncheckedReason.NodeUnreachable, e.Reason);
        Assert.Contains($"http://127.0.0.1:{port}", e.Message);
        Assert.DoesNotContain("secret-provider-key", e.Message);
    }

    [Fact]
    public async Task A_node_that_does_not_answer_in_time_is_a_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        // Accepts the connection and says nothing.
        var accepted = silent.AcceptTcpClientAsync();
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };
        var reader = new JsonRpcChainReader(impatient, new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"), registry.Contract);
        var e = await Assert.ThrowsAsync<NodeUnavailableException>(() => reader.GetChainIdAsync());
        Assert.Equal(UncheckedReason.NodeTimeout, e.Reason);
        (await accepted).Dispose();
    }

    [Theory]
    [InlineData("502 Bad Gateway", "")]
    [InlineData("200 OK", "<html></html>")]
    [InlineData("200 OK", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"thirty-one thousand\"}")]
    [InlineData("200 OK", "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"no such method\"}}")]
    public async Task A_node_that_answers_wrongly_is_a_bad_answer(string status, string body)
    {
        var answer = $"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        using var wrong = new TcpListener(IPAddress.Loopback, 0);
        wrong.Start();
        var serving = Task.Run(async () =>
        {
            using var client = await wrong.AcceptTcpClientAsync();
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[8192]);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
        });
        var reader = new JsonRpcChainReader(Http, new Uri($"http://127.0.0.1:{((IPEndPoint)wrong.LocalEndpoint).Port}"), registry.Contract);
        var e = await Assert.ThrowsAsync<NodeUnavailableException>(() => reader.GetChainIdAsync());
        Assert.Equal(UncheckedReason.NodeBadAnswer, e.Reason);
        await serving;
    }
}
