using Registry.Verification;

namespace Registry.Chain;

/// <summary>
/// Trusted registries each read through an RPC URL. An entry may leave its chain id to the RPC
/// endpoint, which is then asked once and must match the chain a proof names.
/// </summary>
public sealed class RpcTrustedRegistries : ITrustedRegistries
{
    private readonly List<Entry> _entries = [];

    public void Add(long? chainId, string contract, Uri rpcUrl)
    {
        var connection = new ChainConnection(rpcUrl);
        _entries.Add(new Entry(chainId, contract.ToLowerInvariant(), connection, new CachingChainReader(new EthereumChainReader(connection.Reader, contract))));
    }

    public IReadOnlyList<RegistryAddress> Trusted =>
        _entries.Select(e => new RegistryAddress(e.ChainId ?? 0, e.Contract)).ToList();

    public IChainReader? Find(long chainId, string contract)
    {
        var entry = _entries.FirstOrDefault(e => e.Contract == contract.ToLowerInvariant() && (e.ChainId is null || e.ChainId == chainId));
        return entry is null ? null : entry.ChainId is null ? new ChainCheckingReader(entry, chainId) : entry.Reader;
    }

    private sealed record Entry(long? ChainId, string Contract, ChainConnection Connection, IChainReader Reader);

    /// <summary>Confirms, before the first read, that the RPC endpoint serves the chain the proof names.</summary>
    private sealed class ChainCheckingReader(Entry entry, long expectedChainId) : IChainReader
    {
        private bool _checked;

        public async Task<AnchorRecord?> GetAnchorAsync(Hashing.Bytes32 root, CancellationToken cancellationToken = default)
        {
            await CheckAsync();
            return await entry.Reader.GetAnchorAsync(root, cancellationToken);
        }

        public async Task<IssuerRecord?> GetIssuerAsync(string address, CancellationToken cancellationToken = default)
        {
            await CheckAsync();
            return await entry.Reader.GetIssuerAsync(address, cancellationToken);
        }

        public async Task<RevocationRecord?> GetRevocationAsync(Hashing.Bytes32 digest, CancellationToken cancellationToken = default)
        {
            await CheckAsync();
            return await entry.Reader.GetRevocationAsync(digest, cancellationToken);
        }

        private async Task CheckAsync()
        {
            if (_checked) return;
            var served = await entry.Connection.GetChainIdAsync();
            if (served != expectedChainId)
                throw new InvalidOperationException($"The RPC endpoint {entry.Connection.RpcUrl} serves chain {served}, but the proof names chain {expectedChainId}.");
            _checked = true;
        }
    }
}
