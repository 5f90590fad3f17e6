using Registry.Verification;

namespace Registry.Chain;

/// <summary>
/// Trusted registries each read through an RPC URL. Every entry's RPC is asked its chain id (once)
/// before use, by the <c>registry</c> check. An entry may leave its chain id open (the CLI's
/// <c>--registry</c> with <c>--rpc</c>): it then trusts the contract on whatever chain its RPC serves.
/// </summary>
public sealed class RpcTrustedRegistries : ITrustedRegistries
{
    private readonly List<Entry> _entries = [];

    public void Add(long? chainId, string contract, Uri rpcUrl)
    {
        var connection = new ChainConnection(rpcUrl);
        _entries.Add(new Entry(chainId, contract.ToLowerInvariant(), new CachingChainReader(new EthereumChainReader(connection.Reader, contract))));
    }

    public IReadOnlyList<RegistryAddress> Trusted => _entries.Select(e => new RegistryAddress(e.ChainId, e.Contract)).ToList();

    public IChainReader? Find(long chainId, string contract) =>
        _entries.FirstOrDefault(e => e.Contract == contract.ToLowerInvariant() && (e.ChainId is null || e.ChainId == chainId))?.Reader;

    private sealed record Entry(long? ChainId, string Contract, IChainReader Reader);
}
