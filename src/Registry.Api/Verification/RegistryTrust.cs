using Registry.Api.Anchoring;
using Registry.Api.Index;
using Registry.Index;
using Registry.Chain;
using Registry.Verification;

namespace Registry.Api.Verification;

/// <summary>The registries this server's verifier trusts: its own, and those named in REGISTRY_TRUSTED.</summary>
public sealed class RegistryTrust : ITrustedRegistries
{
    private readonly RegistryChain _chain;
    private readonly RpcTrustedRegistries _configured = new();
    private (string Contract, IChainReader Reader)? _own;

    private readonly ChainFollower _follower;

    public RegistryTrust(RegistryChain chain, ChainFollower follower, RegistryOptions options)
    {
        _chain = chain;
        _follower = follower;
        foreach (var entry in options.Trusted) _configured.Add(entry.ChainId, entry.Contract, entry.RpcUrl);
    }

    public IReadOnlyList<RegistryAddress> Trusted
    {
        get
        {
            var list = _configured.Trusted.ToList();
            if (_chain.Current is { } own) list.Insert(0, new RegistryAddress(own.ChainId, own.Contract));
            return list;
        }
    }

    public IChainReader? Find(long chainId, string contract)
    {
        if (_chain.Current is { } own && own.ChainId == chainId && own.Contract == contract.ToLowerInvariant()) return OwnReader(own);
        return _configured.Find(chainId, contract);
    }

    /// <summary>
    /// The own contract's reader: the chain index while it is fresh, the node otherwise, behind a cache
    /// of what the chain cannot take back.
    /// </summary>
    private IChainReader OwnReader(ChainState own)
    {
        var cached = _own;
        if (cached is { } known && known.Contract == own.Contract) return known.Reader;
        var indexed = new IndexedChainReader(_follower.Index, own.Reader, () => _follower.IsFresh && _follower.Contract == own.Contract);
        // The registry read this chain id from its RPC endpoint when it connected.
        var reader = new CachingChainReader(indexed, knownChainId: own.ChainId);
        _own = (own.Contract, reader);
        return reader;
    }
}
