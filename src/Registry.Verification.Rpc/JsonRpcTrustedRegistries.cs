namespace Registry.Verification.Rpc;

/// <summary>
/// The registries a verifier trusts, each read through its RPC URL with <see cref="JsonRpcChainReader"/>.
/// The <c>registry</c> check asks every entry's RPC for its chain id before use. An entry without an RPC URL
/// is trusted but cannot be read: verification then fails at <c>registry</c>, saying which node to give.
/// </summary>
public sealed class JsonRpcTrustedRegistries(HttpClient http, IEnumerable<TrustedRegistryEntry> entries) : ITrustedRegistries
{
    private readonly List<(TrustedRegistryEntry Entry, IChainReader Reader)> _entries = entries
        .Select(e => (e, e.RpcUrl is null
            ? (IChainReader)new NoNode(e)
            : new CachingChainReader(new JsonRpcChainReader(http, e.RpcUrl, e.Registry))))
        .ToList();

    public IReadOnlyList<RegistryAddress> Trusted => _entries.Select(e => new RegistryAddress(e.Entry.ChainId, e.Entry.Registry)).ToList();

    // Later entries win: a node the user gives for a trusted registry replaces the one its host published.
    public IChainReader? Find(long chainId, string contract) =>
        _entries.LastOrDefault(e => string.Equals(e.Entry.Registry, contract, StringComparison.OrdinalIgnoreCase)
            && (e.Entry.ChainId is null || e.Entry.ChainId == chainId)).Reader;

    /// <summary>A trusted registry with no node to read it through.</summary>
    private sealed class NoNode(TrustedRegistryEntry entry) : IChainReader
    {
        private Exception Missing() => new RpcUnreachableException($"No RPC URL is known for trusted registry {entry.Registry}; give the URL of a node of chain {entry.ChainId}.");
        public Task<long> GetChainIdAsync(CancellationToken cancellationToken = default) => throw Missing();
        public Task<ChainVerdict> VerifyAsync(string issuer, Hashing.Bytes32 root, Hashing.Bytes32 digest, IReadOnlyList<Hashing.Bytes32> proof, CancellationToken cancellationToken = default) => throw Missing();
        public Task<AnchoringReceipt?> GetAnchoringReceiptAsync(string transactionHash, CancellationToken cancellationToken = default) => throw Missing();
        public Task<AnchorRecord?> GetAnchorAsync(string issuer, Hashing.Bytes32 root, CancellationToken cancellationToken = default) => throw Missing();
        public Task<IssuerRecord?> GetIssuerAsync(string issuer, CancellationToken cancellationToken = default) => throw Missing();
        public Task<RevocationRecord?> GetRevocationAsync(string issuer, Hashing.Bytes32 digest, CancellationToken cancellationToken = default) => throw Missing();
    }
}
