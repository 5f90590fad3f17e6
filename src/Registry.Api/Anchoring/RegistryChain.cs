using Registry.Api.Storage;
using Registry.Chain;

namespace Registry.Api.Anchoring;

/// <summary>The contract this registry anchors in, once the chain has been reached.</summary>
public sealed record ChainState(long ChainId, string Contract, RegistryWriter Operator, EthereumChainReader Reader, int Confirmations);

/// <summary>
/// Connects to the chain on first need and keeps trying while it cannot: the registry starts and
/// answers without a chain, and says so on /health. On the local chain (31337) it deploys the
/// contract when none is configured and remembers its address.
/// </summary>
public sealed class RegistryChain(RegistryOptions options, RegistryDatabase database, ILogger<RegistryChain> logger)
{
    private const string ContractSetting = "contract";

    /// <summary>The contract interface this registry speaks (the contract's VERSION constant).</summary>
    public const int ContractVersion = 2;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private volatile ChainState? _state;

    public ChainConnection Connection { get; } = new(options.RpcUrl);

    /// <summary>The connected state, or null while the chain has not been reached.</summary>
    public ChainState? Current => _state;

    /// <summary>
    /// The contract this registry anchors in, known even while the chain cannot be reached: the connected
    /// one, else the configured one, else the one it deployed and remembered. Null before the first connection.
    /// </summary>
    public string? KnownContract => _state?.Contract ?? options.Contract?.ToLowerInvariant() ?? database.GetSetting(ContractSetting);

    /// <summary>The last reason the chain could not be used, for /health and logs.</summary>
    public string? LastError { get; private set; }

    /// <summary>Serialises the operator's transactions, which share one nonce sequence.</summary>
    private readonly SemaphoreSlim _operatorLock = new(1, 1);

    /// <summary>Runs <paramref name="send"/> with the operator's writer, alone among the operator's transactions.</summary>
    public async Task<T> WithOperatorAsync<T>(ChainState state, Func<RegistryWriter, Task<T>> send, CancellationToken cancellationToken)
    {
        await _operatorLock.WaitAsync(cancellationToken);
        try
        {
            return await send(state.Operator);
        }
        finally
        {
            _operatorLock.Release();
        }
    }

    public async Task<ChainState> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_state is { } ready) return ready;
        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_state is { } raced) return raced;
            try
            {
                _state = await ConnectAsync();
                LastError = null;
                return _state;
            }
            catch (Exception e)
            {
                LastError = e.Message;
                throw new ChainUnavailableException($"The chain at {options.RpcUrl} cannot be used: {e.Message}", e);
            }
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task<ChainState> ConnectAsync()
    {
        var chainId = await Connection.GetChainIdAsync();
        var operatorKey = options.OperatorKey
            ?? (chainId == DevelopmentChain.ChainId ? DevelopmentChain.OperatorKey
                : throw new InvalidOperationException($"REGISTRY_OPERATOR_KEY is required on chain {chainId}."));
        DevelopmentChain.RefusePublicKeyOffLocalChain(operatorKey, chainId);

        var contract = options.Contract?.ToLowerInvariant() ?? database.GetSetting(ContractSetting);
        if (contract is not null && !await Connection.HasCodeAsync(contract))
        {
            if (options.Contract is not null || chainId != DevelopmentChain.ChainId)
                throw new InvalidOperationException($"There is no contract at {contract} on chain {chainId}.");
            logger.LogWarning("The local chain no longer has contract {Contract} (the node was restarted); deploying a new one and admitting the known issuers again", contract);
            contract = null;
        }
        if (contract is not null && await new EthereumChainReader(Connection.Reader, contract).GetVersionAsync() is var version
            && version != ContractVersion)
        {
            if (options.Contract is not null || chainId != DevelopmentChain.ChainId)
                throw new InvalidOperationException(
                    $"The contract at {contract} on chain {chainId} speaks version {version}; this registry needs CredentialRegistry version {ContractVersion}.");
            logger.LogWarning("Contract {Contract} on the local chain is version {Version}; deploying version {Needed} and admitting the known issuers again",
                contract, version, ContractVersion);
            contract = null;
        }
        if (contract is null)
        {
            if (chainId != DevelopmentChain.ChainId)
                throw new InvalidOperationException($"REGISTRY_CONTRACT is required on chain {chainId}; deploy one with `registry deploy`.");
            contract = await RegistryWriter.DeployAsync(Connection, operatorKey, chainId);
            database.SetSetting(ContractSetting, contract);
            logger.LogInformation("Deployed CredentialRegistry at {Contract} on chain {ChainId}", contract, chainId);
        }

        var state = new ChainState(chainId, contract, new RegistryWriter(Connection, operatorKey, chainId, contract),
            new EthereumChainReader(Connection.Reader, contract), options.ConfirmationsFor(chainId));
        await AdmitMissingIssuersAsync(state);
        return state;
    }

    /// <summary>Admits again every active issuer the contract does not know: after a new deployment on a reset local chain.</summary>
    private async Task AdmitMissingIssuersAsync(ChainState state)
    {
        // Materialised first: a LiteDB cursor must not stay open across awaits.
        foreach (var issuer in database.Issuers.Find(i => i.RemovedAt == null).ToList())
        {
            if (await state.Reader.GetIssuerAsync(issuer.Address) is not null) continue;
            logger.LogWarning("Issuer {Name} ({Address}) is not admitted in {Contract}; admitting it", issuer.Name, issuer.Address, state.Contract);
            await state.Operator.AddIssuerAsync(issuer.Address, issuer.Name);
            if (state.ChainId == DevelopmentChain.ChainId) await state.Operator.FundAsync(issuer.Address, options.IssuerFunding);
        }
    }
}

/// <summary>The chain cannot be reached or used right now; the API answers 503.</summary>
public sealed class ChainUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
