namespace Registry.Verification.Rpc;

/// <summary>
/// The registries a verifier trusts, each read through its RPC URL with <see cref="JsonRpcChainReader"/>:
/// the one implementation the API, the CLI and the page share. The <c>registry</c> check asks every
/// entry's node for its chain id before use. When entries repeat, the later one wins (see
/// <see cref="ITrustedRegistries"/>). An entry without an RPC URL is trusted but cannot be read:
/// its checks could not be completed, and the message says which node to give.
/// </summary>
public sealed class TrustedRegistries(HttpClient http, IEnumerable<TrustedRegistry> entries) : ITrustedRegistries
{
    private readonly List<(TrustedRegistry Entry, IChainReader Reader)> _entries = entries
        .Select(e => (e, e.RpcUrl is null
            ? (IChainReader)new UnavailableChainReader(UncheckedReason.NoNode,
                $"No RPC URL is known for trusted registry {e.Contract}; give the URL of a node of chain {e.ChainId?.ToString() ?? "it is on"}.")
            : new CachingChainReader(new JsonRpcChainReader(http, e.RpcUrl, e.Contract))))
        .ToList();

    public IReadOnlyList<TrustedRegistry> Trusted => _entries.Select(e => e.Entry with { RpcUrl = null }).ToList();

    public IChainReader? Find(long chainId, string contract) =>
        _entries.LastOrDefault(e => e.Entry.Trusts(chainId, contract)).Reader;
}
