using Registry.Api.Storage;
using Registry.Chain;
using Registry.Verification.Rpc;

namespace Registry.Api.Anchoring;

/// <summary>The contract this registry anchors in, once the chain has been reached.</summary>
public sealed record ChainState(long ChainId, string Contract, RegistryWriter Operator, JsonRpcChainReader Reader, int Confirmations);

/// <summary>
/// Connects to the chain on first need and keeps trying while it cannot: the registry starts and
/// answers without a chain, and says so on /health. On the local chain (31337) it deploys the
/// contract when none is configured and remembers its address.
/// </summary>
public sealed class RegistryChain(
    RegistryOptions options, ISettingsStore settings, IIssuerStore issuers, Issuers.IssuerKeyring keyring, IAccountLocks locks, ILogger<RegistryChain> logger,
    IHostApplicationLifetime? lifetime = null)
{
    private const string ContractSetting = "contract";
    private const string ChainIdSetting = "chainId";
    private const string DeployBlockSetting = "contractBlock";

    /// <summary>The first block that can hold <paramref name="contract"/>'s events: where the registry deployed it, else REGISTRY_FROM_BLOCK.</summary>
    public long FirstBlockOf(string contract) =>
        settings.Get(DeployBlockSetting)?.Split(':') is [var address, var block] && address == contract && long.TryParse(block, out var number)
            ? number
            : options.FromBlock;

    /// <summary>The contract interface this registry speaks (the contract's VERSION constant).</summary>
    public const int ContractVersion = 3;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private volatile ChainState? _state;

    public ChainConnection Connection { get; } = new(options.RpcUrl);

    /// <summary>The connected state, or null while the chain has not been reached.</summary>
    public ChainState? Current => _state;

    /// <summary>
    /// The contract this registry anchors in, known even while the chain cannot be reached: the connected
    /// one, else the configured one, else the one it deployed and remembered. Null before the first connection.
    /// </summary>
    public string? KnownContract => _state?.Contract ?? options.Contract?.ToLowerInvariant() ?? settings.Get(ContractSetting);

    /// <summary>The last reason the chain could not be used, for /health and logs.</summary>
    public string? LastError { get; private set; }

    private readonly object _headLock = new();
    private (long Block, DateTimeOffset Since) _head = (-1, DateTimeOffset.MinValue);

    /// <summary>Records the chain's head and returns how long it has stayed at that block (as far as this registry saw).</summary>
    public TimeSpan ObserveHead(long block, DateTimeOffset now)
    {
        lock (_headLock)
        {
            if (block != _head.Block) _head = (block, now);
            return now - _head.Since;
        }
    }

    /// <summary>Serialises the operator's transactions, which share one nonce sequence (and, across instances, its account lock).</summary>
    private readonly SemaphoreSlim _operatorLock = new(1, 1);

    /// <summary>Runs <paramref name="send"/> with the operator's writer, alone among the operator's transactions.</summary>
    public async Task<T> WithOperatorAsync<T>(ChainState state, Func<RegistryWriter, Task<T>> send, CancellationToken cancellationToken)
    {
        await _operatorLock.WaitAsync(cancellationToken);
        try
        {
            await using var held = await locks.HoldAsync(state.Operator.Address, cancellationToken);
            return await send(state.Operator);
        }
        finally
        {
            _operatorLock.Release();
        }
    }

    /// <summary>The chain, connecting if it can within <paramref name="wait"/>; null when it cannot (the caller says so its own way).</summary>
    public async Task<ChainState?> TryGetAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_state is { } ready) return ready;
        try
        {
            return await GetAsync(cancellationToken).WaitAsync(wait, cancellationToken);
        }
        catch (Exception e) when (e is ChainUnavailableException or TimeoutException)
        {
            return null;
        }
    }

    public async Task<ChainState> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_state is { } ready) return ready;
        if (SettingsProblem is { } known) throw known;
        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_state is { } raced) return raced;
            if (SettingsProblem is { } found) throw found;
            try
            {
                _state = await ConnectAsync();
                LastError = null;
                return _state;
            }
            catch (RegistrySettingsException e)
            {
                // Not an outage: retrying cannot help. The registry stops and says what to set.
                SettingsProblem = e;
                LastError = e.Message;
                // At start the caller says so and exits; found later (the node was down at start), the registry stops here.
                if (lifetime is { ApplicationStarted.IsCancellationRequested: true })
                {
                    logger.LogCritical("The registry cannot run with these settings and stops: {Message}", e.Message);
                    Environment.ExitCode = 1;
                    lifetime.StopApplication();
                }
                throw;
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

    /// <summary>
    /// Judges the settings at start: false (with the reason written out) when they cannot work. A node
    /// that does not answer in time is an outage, not a setting: the registry starts and keeps trying.
    /// </summary>
    public async Task<bool> CheckAtStartAsync(ILogger startupLogger)
    {
        try
        {
            CheckSettingsOffline();
            await GetAsync().WaitAsync(StartupWait);
            return true;
        }
        catch (RegistrySettingsException e)
        {
            Console.Error.WriteLine($"The registry cannot start: {e.Message}");
            return false;
        }
        catch (Exception e) when (e is ChainUnavailableException or TimeoutException)
        {
            startupLogger.LogWarning("Starting without the chain: {Message} Anchoring resumes when it answers.", e.Message);
            return true;
        }
    }

    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(10);

    /// <summary>A setting that cannot work on the chain this registry reached; set once, and the registry stops.</summary>
    public RegistrySettingsException? SettingsProblem { get; private set; }

    /// <summary>
    /// The settings that can be judged without a node: a data folder that remembers a chain other than
    /// the local one needs the settings every real network needs.
    /// </summary>
    public void CheckSettingsOffline()
    {
        if (RememberedChainId is { } remembered && remembered != DevelopmentChain.ChainId) RequireRealNetworkSettings(remembered);
    }

    private long? RememberedChainId => long.TryParse(settings.Get(ChainIdSetting), out var id) ? id : null;

    private void RequireRealNetworkSettings(long chainId)
    {
        var missing = new List<string>();
        if (options.OperatorKey is null) missing.Add("REGISTRY_OPERATOR_KEY (the private key of the account that owns the contract)");
        if (options.Contract is null) missing.Add("REGISTRY_CONTRACT (the address `registry deploy` printed)");
        if (options.KeystorePassword is null) missing.Add("REGISTRY_KEYSTORE_PASSWORD (encrypts the issuers' keys in the data folder)");
        if (missing.Count > 0)
            throw new RegistrySettingsException($"Chain {chainId} is not the local chain, so these must be set: {string.Join("; ", missing)}.");
        if (options.LightKdf)
            throw new RegistrySettingsException(
                $"Chain {chainId} is not the local chain, so REGISTRY_LIGHT_KDF must not be set: issuer keys there are encrypted with the standard scrypt parameters.");
    }

    private async Task<ChainState> ConnectAsync()
    {
        var chainId = await Connection.GetChainIdAsync();
        if (RememberedChainId is { } remembered && remembered != chainId)
            throw new RegistrySettingsException(
                $"The node at {options.RpcUrl} serves chain {chainId}, but the data folder {options.DataDir} belongs to chain {remembered}. " +
                $"Point REGISTRY_RPC_URL at a node of chain {remembered}, or use another REGISTRY_DATA_DIR for chain {chainId}.");
        var local = chainId == DevelopmentChain.ChainId;
        if (!local) RequireRealNetworkSettings(chainId);
        var operatorKey = options.OperatorKey ?? DevelopmentChain.OperatorKey;
        string operatorAddress;
        try
        {
            operatorAddress = DevelopmentChain.AddressOf(operatorKey);
        }
        catch (FormatException e)
        {
            throw new RegistrySettingsException($"REGISTRY_OPERATOR_KEY is not a private key: {e.Message}");
        }
        if (!local && DevelopmentChain.IsPublicDevelopmentKey(operatorKey))
            throw new RegistrySettingsException(
                $"REGISTRY_OPERATOR_KEY is the public development account {operatorAddress}, whose key anyone can read; chain {chainId} " +
                "is not the local chain. Set the key of an account of your own.");

        // Instances that start together on one database decide the contract one after the other: the
        // second finds the one the first deployed, and the issuers it admitted.
        await using var held = await locks.HoldAsync(operatorAddress, CancellationToken.None);
        // A configured contract must be right as it is; only one the registry deployed itself on the local chain is replaced.
        var configured = options.Contract?.ToLowerInvariant();
        var contract = configured ?? settings.Get(ContractSetting);
        if (contract is not null && !await Connection.HasCodeAsync(contract))
        {
            if (configured is not null)
                throw new RegistrySettingsException(
                    $"REGISTRY_CONTRACT={contract} has no code on chain {chainId}: deploy the contract with `registry deploy` and set the address it prints.");
            logger.LogWarning("The local chain no longer has contract {Contract} (the node was restarted); deploying a new one and admitting the known issuers again", contract);
            contract = null;
        }
        if (contract is not null && await Connection.ContractReader(contract).GetVersionAsync() is var version
            && version != ContractVersion)
        {
            if (configured is not null)
                throw new RegistrySettingsException(
                    $"REGISTRY_CONTRACT={contract} on chain {chainId} is {(version == 0 ? "not a CredentialRegistry" : $"CredentialRegistry version {version}")}; " +
                    $"this registry needs version {ContractVersion}. Deploy one with `registry deploy` and set its address.");
            logger.LogWarning("Contract {Contract} on the local chain is version {Version}; deploying version {Needed} and admitting the known issuers again",
                contract, version, ContractVersion);
            contract = null;
        }
        if (contract is null)
        {
            if (!local) throw new RegistrySettingsException($"REGISTRY_CONTRACT is required on chain {chainId}; deploy one with `registry deploy`.");
            var deployed = await RegistryWriter.DeployAsync(Connection, operatorKey, chainId);
            contract = deployed.Address;
            settings.Set((ContractSetting, contract), (DeployBlockSetting, $"{contract}:{deployed.BlockNumber}"));
            logger.LogInformation("Deployed CredentialRegistry at {Contract} on chain {ChainId}", contract, chainId);
        }
        var reader = Connection.ContractReader(contract);
        var owner = await reader.GetOwnerAsync();
        if (!string.Equals(owner, operatorAddress, StringComparison.OrdinalIgnoreCase))
            throw new RegistrySettingsException(
                $"The contract {contract} on chain {chainId} is owned by {owner}, not by the operator account {operatorAddress} " +
                "(REGISTRY_OPERATOR_KEY): set the owner's key, or the address of a contract this key deployed.");
        settings.Set((ChainIdSetting, chainId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var state = new ChainState(chainId, contract, new RegistryWriter(Connection, operatorKey, chainId, contract), reader, options.ConfirmationsFor(chainId));
        await AdmitMissingIssuersAsync(state);
        return state;
    }

    /// <summary>
    /// Admits again every active issuer the contract does not know: after a new deployment on a reset
    /// local chain. An issuer made before contract version 3 has no signing key yet; it gets one here,
    /// before its first admission that binds a key. An issuer whose creation was cut short (pending) is
    /// completed when the chain admitted its account, and abandoned when it did not: its requester never
    /// had an answer, nor its API key.
    /// </summary>
    private async Task AdmitMissingIssuersAsync(ChainState state)
    {
        foreach (var issuer in issuers.All().Where(i => i.RemovedAt is null && i.Admission != IssuerAdmission.Failed))
        {
            var admitted = await state.Reader.GetIssuerAsync(issuer.Address) is not null;
            if (issuer.Admission == IssuerAdmission.Pending)
            {
                issuer.Admission = admitted ? null : IssuerAdmission.Failed;
                issuers.Update(issuer);
                logger.LogWarning(admitted
                    ? "Issuer {Name} ({Address}): its creation was cut short after the chain admitted it; its stored keys complete it"
                    : "Issuer {Name} ({Address}): its creation was cut short before the chain admitted it; it is abandoned", issuer.Name, issuer.Address);
                continue;
            }
            if (admitted) continue;
            logger.LogWarning("Issuer {Name} ({Address}) is not admitted in {Contract}; admitting it", issuer.Name, issuer.Address, state.Contract);
            if (issuer.SigningKey is null)
            {
                var (signingKey, sealedSeed) = Issuers.IssuerKeyring.NewSigningKey(keyring.PrivateKeyOf(issuer), issuer.Address);
                issuer.SigningKey = Hashing.Bytes32.FromSpan(signingKey.PublicKey).ToString();
                issuer.SealedSigningKey = sealedSeed;
                issuers.Update(issuer);
                logger.LogWarning("Issuer {Name} ({Address}) had no signing key (made before contract version 3); made one", issuer.Name, issuer.Address);
            }
            await state.Operator.AddIssuerAsync(issuer.Address, issuer.Name, Hashing.Bytes32.Parse(issuer.SigningKey));
            if (state.ChainId == DevelopmentChain.ChainId) await state.Operator.FundAsync(issuer.Address, options.IssuerFunding);
        }
    }
}

/// <summary>The chain cannot be reached or used right now; the API answers 503.</summary>
public sealed class ChainUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
