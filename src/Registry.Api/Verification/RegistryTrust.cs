using Registry.Api.Anchoring;
using Registry.Api.Index;
using Registry.Chain;
using Registry.Index;
using Registry.Verification;
using Registry.Verification.Rpc;

namespace Registry.Api.Verification;

/// <summary>
/// The registries this server's verifier trusts: those named in REGISTRY_TRUSTED, then its own contract,
/// which as the last entry wins where they repeat (the rule of <see cref="ITrustedRegistries"/>).
/// </summary>
public sealed class RegistryTrust : ITrustedRegistries
{
    private static readonly HttpClient Http = new() { Timeout = ChainConnection.Timeout };

    private readonly RegistryChain _chain;
    private readonly TrustedRegistries _configured;
    private readonly ChainFollower _follower;
    private (string Contract, IChainReader Reader)? _own;

    public RegistryTrust(RegistryChain chain, ChainFollower follower, RegistryOptions options)
    {
        _chain = chain;
        _follower = follower;
        _configured = new TrustedRegistries(Http, options.TrustedRegistries);
    }

    public IReadOnlyList<TrustedRegistry> Trusted
    {
        get
        {
            var list = _configured.Trusted.ToList();
            if (_chain.Current is { } own) list.Add(new TrustedRegistry(own.ChainId, own.Contract));
            else if (_chain.KnownContract is { } known) list.Add(new TrustedRegistry(null, known));
            return list;
        }
    }

    public IChainReader? Find(long chainId, string contract)
    {
        if (_chain.Current is { } own)
        {
            if (own.ChainId == chainId && string.Equals(own.Contract, contract, StringComparison.OrdinalIgnoreCase)) return OwnReader(own);
        }
        // Its own contract while its node cannot be reached: not a stranger, but nothing can be checked.
        else if (string.Equals(_chain.KnownContract, contract, StringComparison.OrdinalIgnoreCase))
        {
            return new UnavailableChainReader(UncheckedReason.NodeUnreachable,
                "This registry cannot reach its blockchain node right now, so nothing about the chain can be checked; try again later.");
        }
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
