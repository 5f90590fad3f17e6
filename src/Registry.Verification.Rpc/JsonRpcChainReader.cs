using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Hashing;
using Registry.Web;

namespace Registry.Verification.Rpc;

/// <summary>
/// Reads one CredentialRegistry contract (version 3) over plain JSON-RPC: <c>eth_chainId</c>,
/// <c>eth_call</c> of <c>verify</c>, <c>issuerOf</c>, <c>anchorOf</c> and <c>revocationOf</c>, the
/// anchoring transaction's receipt, and one block's <c>Revoked</c> log. No Ethereum library, so that it
/// runs where one is too heavy (the browser verifier): the one reader of the chain for verification in the
/// API, the CLI and the page, and for the registry's own reads while anchoring. A node that cannot be
/// reached, does not answer in time or answers wrongly throws <see cref="NodeUnavailableException"/>,
/// naming the node by its origin only (a provider's key may be in the path).
/// </summary>
public sealed class JsonRpcChainReader(HttpClient http, Uri rpcUrl, string contract) : IChainReader
{
    private static readonly byte[] VerifySelector = Abi.Selector("verify(address,bytes32,bytes32,bytes32[])");
    private static readonly byte[] IssuerOfSelector = Abi.Selector("issuerOf(address)");
    private static readonly byte[] AnchorOfSelector = Abi.Selector("anchorOf(address,bytes32)");
    private static readonly byte[] RevocationOfSelector = Abi.Selector("revocationOf(address,bytes32)");
    private static readonly byte[] OwnerSelector = Abi.Selector("owner()");
    private static readonly byte[] VersionSelector = Abi.Selector("VERSION()");
    private static readonly string AnchoredTopic = Abi.Topic("Anchored(address,bytes32,uint32)");
    private static readonly string RevokedTopic = Abi.Topic("Revoked(address,bytes32,bytes32,string)");

    private int _nextId;

    public string Contract { get; } = contract.ToLowerInvariant();
    public Uri RpcUrl { get; } = rpcUrl;

    /// <summary>The node as messages name it.</summary>
    private string Node => HttpUrl.Origin(RpcUrl);

    public Task<long> GetChainIdAsync(CancellationToken cancellationToken = default) =>
        Read("eth_chainId", async () => Abi.Quantity(Text(await SendAsync("eth_chainId", [], cancellationToken))));

    public Task<ChainVerdict> VerifyAsync(string issuer, Bytes32 root, Bytes32 digest, IReadOnlyList<Bytes32> proof, CancellationToken cancellationToken = default) =>
        Read("verify", async () =>
    {
        // Asked at one block, so that the answer can say which block it is true as of.
        var head = await SendAsync("eth_getBlockByNumber", ["latest", false], cancellationToken) as JsonObject;
        var asOf = head is null ? null : new ChainPoint(Abi.Quantity(Text(head["number"])), Text(head["hash"]).ToLowerInvariant(),
            DateTimeOffset.FromUnixTimeSeconds(Abi.Quantity(Text(head["timestamp"]))));
        var answer = await CallAsync(Abi.Call(VerifySelector, [Abi.Address(issuer), root, digest], proof), cancellationToken,
            asOf is null ? "latest" : Abi.Quantity(asOf.Number));
        return new ChainVerdict(answer.Bool(0), ChainTime.FromUnixSeconds(answer.UInt64(1)), (uint)answer.UInt64(2), answer.Bool(3),
            ChainTime.FromUnixSeconds(answer.UInt64(4)), answer.FixedBytes(5), asOf);
    });

    public Task<AnchoringReceipt?> GetAnchoringReceiptAsync(string transactionHash, CancellationToken cancellationToken = default) =>
        Read("eth_getTransactionReceipt", async () =>
    {
        if (await SendAsync("eth_getTransactionReceipt", [transactionHash], cancellationToken) is not JsonObject receipt) return null;
        if (Text(receipt["status"]) != "0x1") return null;
        var anchors = new List<(string, Bytes32)>();
        foreach (var log in receipt["logs"] as JsonArray ?? [])
        {
            if (log is not JsonObject entry || !SameAddress(Text(entry["address"]), Contract)) continue;
            if (entry["topics"] is not JsonArray { Count: 3 } topics || !string.Equals(Text(topics[0]), AnchoredTopic, StringComparison.OrdinalIgnoreCase)) continue;
            anchors.Add(("0x" + Text(topics[1])[^40..].ToLowerInvariant(), Bytes32.Parse(Text(topics[2]))));
        }
        return (AnchoringReceipt?)new AnchoringReceipt(Text(receipt["transactionHash"]).ToLowerInvariant(), Abi.Quantity(Text(receipt["blockNumber"])), anchors);
    });

    public Task<AnchorRecord?> GetAnchorAsync(string issuer, Bytes32 root, CancellationToken cancellationToken = default) =>
        Read("anchorOf", async () =>
        {
            var answer = await CallAsync(Abi.Call(AnchorOfSelector, [Abi.Address(issuer), root]), cancellationToken);
            return ChainTime.FromUnixSeconds(answer.UInt64(0)) is { } at ? new AnchorRecord(at, (uint)answer.UInt64(1)) : null;
        });

    public Task<IssuerRecord?> GetIssuerAsync(string issuer, CancellationToken cancellationToken = default) =>
        Read("issuerOf", async () =>
        {
            var answer = await CallAsync(Abi.Call(IssuerOfSelector, [Abi.Address(issuer)]), cancellationToken);
            if (ChainTime.FromUnixSeconds(answer.UInt64(1)) is not { } added) return null;
            // trustedUntil means something only once the issuer is removed.
            var removed = ChainTime.FromUnixSeconds(answer.UInt64(2));
            return new IssuerRecord(answer.String(0), added, removed, removed is null ? null : ChainTime.FromUnixSeconds(answer.UInt64(3)),
                answer.FixedBytes(4));
        });

    public Task<RevocationRecord?> GetRevocationAsync(string issuer, Bytes32 digest, CancellationToken cancellationToken = default) =>
        Read("revocationOf", async () =>
    {
        var answer = await CallAsync(Abi.Call(RevocationOfSelector, [Abi.Address(issuer), digest]), cancellationToken);
        if (ChainTime.FromUnixSeconds(answer.UInt64(0)) is not { } at) return null;

        // The reason lives only in the event: read the one block the contract names, filtered by issuer and digest.
        var block = Abi.Quantity((long)answer.UInt64(1));
        var filter = new JsonObject
        {
            ["address"] = Contract,
            ["fromBlock"] = block,
            ["toBlock"] = block,
            ["topics"] = new JsonArray(RevokedTopic, Abi.Address(issuer).ToString(), digest.ToString()),
        };
        string? reason = null;
        if (await SendAsync("eth_getLogs", [filter], cancellationToken) is JsonArray { Count: > 0 } logs)
            reason = new Abi.Answer(Text(logs[0]?["data"])).String(0);
        return (RevocationRecord?)new RevocationRecord(at, (long)answer.UInt64(1), reason);
    });

    /// <summary>
    /// The transaction in which <paramref name="issuer"/> anchored <paramref name="root"/>, searched from
    /// <paramref name="fromBlock"/> to the head: for a registry that stopped after sending but before storing the hash.
    /// </summary>
    public Task<(string TransactionHash, long BlockNumber)?> FindAnchoringAsync(string issuer, Bytes32 root, long fromBlock, CancellationToken cancellationToken = default) =>
        Read("eth_getLogs", async () =>
        {
            var latest = Abi.Quantity(Text(await SendAsync("eth_blockNumber", [], cancellationToken)));
            var filter = new JsonObject
            {
                ["address"] = Contract,
                ["fromBlock"] = Abi.Quantity(Math.Min(fromBlock, latest)),
                ["toBlock"] = Abi.Quantity(latest),
                ["topics"] = new JsonArray(AnchoredTopic, Abi.Address(issuer).ToString(), root.ToString()),
            };
            if (await SendAsync("eth_getLogs", [filter], cancellationToken) is not JsonArray { Count: > 0 } logs) return null;
            return ((string, long)?)(Text(logs[0]?["transactionHash"]).ToLowerInvariant(), Abi.Quantity(Text(logs[0]?["blockNumber"])));
        });

    /// <summary>The contract's owner: the operator account that admits and removes issuers.</summary>
    public Task<string> GetOwnerAsync(CancellationToken cancellationToken = default) =>
        Read("owner", async () => "0x" + Convert.ToHexStringLower((await CallAsync(Abi.Call(OwnerSelector, []), cancellationToken)).WordAt(0)[12..]));

    /// <summary>The contract's version constant; 0 when the contract has none (version 1, or no contract at all).</summary>
    public async Task<int> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return (int)Math.Min(int.MaxValue, (await CallAsync(Abi.Call(VersionSelector, []), cancellationToken)).UInt64(0));
        }
        catch (Exception e) when (e is not NodeUnavailableException { Unreachable: true } && !cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    /// <summary>Runs one read; an answer that does not parse is the node's fault, said as such.</summary>
    private async Task<T> Read<T>(string what, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            throw new NodeUnavailableException(UncheckedReason.NodeBadAnswer, $"The node at {Node} answered {what} wrongly: {e.Message}", e);
        }
    }

    private async Task<Abi.Answer> CallAsync(string data, CancellationToken cancellationToken, string block = "latest")
    {
        var call = new JsonObject { ["to"] = Contract, ["data"] = data };
        return new Abi.Answer(Text(await SendAsync("eth_call", [call, block], cancellationToken)));
    }

    private async Task<JsonNode?> SendAsync(string method, JsonNode?[] parameters, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref _nextId),
            ["method"] = method,
            ["params"] = new JsonArray(parameters),
        };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(RpcUrl, content, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new NodeUnavailableException(UncheckedReason.NodeUnreachable, $"The node at {Node} cannot be reached ({e.Message}).", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NodeUnavailableException(UncheckedReason.NodeTimeout, $"The node at {Node} did not answer {method} in time.", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new NodeUnavailableException(UncheckedReason.NodeBadAnswer, $"The node at {Node} answered HTTP {(int)response.StatusCode} to {method}.");
            JsonNode? body;
            try
            {
                body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            }
            catch (System.Text.Json.JsonException)
            {
                throw new NodeUnavailableException(UncheckedReason.NodeBadAnswer, $"The node at {Node} did not answer {method} with JSON-RPC.");
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new NodeUnavailableException(UncheckedReason.NodeTimeout, $"The node at {Node} did not finish its answer to {method} in time.", e);
            }
            if (body?["error"] is { } error)
                throw new JsonRpcErrorException($"The node refused {method}: {error["message"]?.ToString() ?? error.ToJsonString()}");
            return body?["result"];
        }
    }

    private static string Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : throw new FormatException($"The node answered {node?.ToJsonString() ?? "null"} where text was expected.");

    private static bool SameAddress(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The node answered a request with a JSON-RPC error (a reverted call, an unknown method).</summary>
public sealed class JsonRpcErrorException(string message) : InvalidOperationException(message);
