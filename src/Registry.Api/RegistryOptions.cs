using System.Globalization;
using Registry.Chain;
using Registry.Verification;
using Registry.Web;

namespace Registry.Api;

/// <summary>The registry's settings, read from REGISTRY_* environment variables or the "Registry" configuration section.</summary>
public sealed class RegistryOptions
{
    /// <summary>The largest batch: a little over a million credentials (its tree and members fit the API's memory target).</summary>
    public const int MaxBatchSizeLimit = 1 << 20;

    public string DataDir { get; set; } = "./data";
    public Uri RpcUrl { get; set; } = HttpUrl.DefaultRpc;
    public string? Contract { get; set; }
    public string? OperatorKey { get; set; }
    public string? AdminKey { get; set; }
    public string? KeystorePassword { get; set; }
    public int MaxBatchSize { get; set; } = 10_000;
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);
    public int? Confirmations { get; set; }
    public int VerifyRateLimit { get; set; } = 600;
    public IReadOnlyList<TrustedRegistry> Trusted { get; set; } = [];

    /// <summary>MiB of <c>/verify</c> bodies a minute per client: two of the largest, thousands of usual ones; 0 for no limit.</summary>
    public int VerifyMibPerMinute { get; set; } = 8;

    /// <summary>Reverse proxies (addresses or networks) whose <c>X-Forwarded-For</c> names the client; none by default.</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; set; } = [];

    /// <summary>The node the verification page's visitors read this registry's contract through; by default the registry's own RPC URL on the local chain only, as elsewhere it may carry a provider key.</summary>
    public Uri? PublicRpcUrl { get; set; }

    /// <summary>The name the verification page shows for this registry.</summary>
    public string Name { get; set; } = "Credential Registry";

    /// <summary>The published browser verifier (scripts/publish-verifier.sh) that the registry serves at <c>/</c>; null to look in the usual places.</summary>
    public string? VerifierDir { get; set; }

    /// <summary>Ether sent to each new issuer account on the local chain.</summary>
    public decimal IssuerFunding { get; set; } = 10m;

    /// <summary>The most an anchoring transaction may pay per gas (base fee and tip), in gwei; 0 for no ceiling.</summary>
    public decimal MaxFeeGwei { get; set; } = 100m;

    /// <summary>Blocks an anchoring transaction may wait in the pool before it is replaced with a higher tip.</summary>
    public int ReplaceAfterBlocks { get; set; } = 5;

    /// <summary>When set: the operator sends this much ether to an issuer account that cannot pay for its next anchor, or holds less than <see cref="TopUpBelow"/>.</summary>
    public decimal? TopUpAmount { get; set; }

    /// <summary>The balance, in ether, under which a new or anchoring issuer account is topped up (with <see cref="TopUpAmount"/> set).</summary>
    public decimal TopUpBelow { get; set; }

    /// <summary>How far the chain index may lag behind the node before verification asks the node instead.</summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The block the chain follower starts reading from when the registry did not deploy the contract itself.</summary>
    public long FromBlock { get; set; }

    /// <summary>Off the local chain, /health is degraded when the chain's head has not moved for this long.</summary>
    public TimeSpan HeadStall { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Blocks on top of the anchoring block before proofs are handed out: none on the local chain, 12 elsewhere.</summary>
    public int ConfirmationsFor(long chainId) => Confirmations ?? (chainId == DevelopmentChain.ChainId ? 0 : 12);

    /// <summary>Reads the settings, naming the variable of the first bad one.</summary>
    public static RegistryOptions FromConfiguration(IConfiguration configuration)
    {
        string? Get(string name) => configuration[$"REGISTRY_{name}"] is { Length: > 0 } value ? value : null;
        var options = new RegistryOptions();
        if (Get("DATA_DIR") is { } dataDir) options.DataDir = dataDir;
        if (Get("RPC_URL") is { } rpc)
            options.RpcUrl = HttpUrl.TryParse(rpc, out var uri) ? uri : throw Bad("REGISTRY_RPC_URL", rpc);
        options.Contract = Get("CONTRACT");
        if (options.Contract is not null && !Identity.IssuerDid.IsAddress(options.Contract)) throw Bad("REGISTRY_CONTRACT", options.Contract);
        options.OperatorKey = Get("OPERATOR_KEY");
        options.AdminKey = Get("ADMIN_KEY");
        options.KeystorePassword = Get("KEYSTORE_PASSWORD");
        if (Get("MAX_BATCH_SIZE") is { } size) options.MaxBatchSize = Integer("REGISTRY_MAX_BATCH_SIZE", size, 1, MaxBatchSizeLimit);
        if (Get("MAX_DELAY_SECONDS") is { } delay) options.MaxDelay = TimeSpan.FromSeconds(Integer("REGISTRY_MAX_DELAY_SECONDS", delay, 0, 86_400 * 7));
        if (Get("CONFIRMATIONS") is { } confirmations) options.Confirmations = Integer("REGISTRY_CONFIRMATIONS", confirmations, 0, 1000);
        if (Get("VERIFY_RATE_LIMIT") is { } limit) options.VerifyRateLimit = Integer("REGISTRY_VERIFY_RATE_LIMIT", limit, 0, int.MaxValue);
        if (Get("VERIFY_MIB_PER_MINUTE") is { } mib)
        {
            options.VerifyMibPerMinute = Integer("REGISTRY_VERIFY_MIB_PER_MINUTE", mib, 0, 2047);
            if (options.VerifyMibPerMinute is > 0 and < 4)
                throw new RegistrySettingsException($"REGISTRY_VERIFY_MIB_PER_MINUTE='{mib}' must be 0 (no limit) or at least 4, the largest body /verify reads.");
        }
        if (Get("TRUSTED_PROXIES") is { } proxies)
            options.TrustedProxies = Security.ClientAddresses.TryParseProxies(proxies, out var bad)
                ?? throw new RegistrySettingsException($"REGISTRY_TRUSTED_PROXIES: '{bad}' is not an IP address or a network such as 10.0.0.0/8.");
        if (Get("MAX_FEE_GWEI") is { } maxFee) options.MaxFeeGwei = Amount("REGISTRY_MAX_FEE_GWEI", maxFee);
        if (Get("REPLACE_AFTER_BLOCKS") is { } replace) options.ReplaceAfterBlocks = Integer("REGISTRY_REPLACE_AFTER_BLOCKS", replace, 1, 10_000);
        if (Get("TOPUP_AMOUNT") is { } topUp) options.TopUpAmount = Amount("REGISTRY_TOPUP_AMOUNT", topUp);
        if (Get("TOPUP_BELOW") is { } below)
            options.TopUpBelow = options.TopUpAmount is null
                ? throw new RegistrySettingsException("REGISTRY_TOPUP_BELOW needs REGISTRY_TOPUP_AMOUNT: how much the operator sends.")
                : Amount("REGISTRY_TOPUP_BELOW", below);
        if (Get("HEAD_STALL_SECONDS") is { } stall) options.HeadStall = TimeSpan.FromSeconds(Integer("REGISTRY_HEAD_STALL_SECONDS", stall, 1, 86_400));
        if (Get("MAX_STALENESS_SECONDS") is { } staleness) options.MaxStaleness = TimeSpan.FromSeconds(Integer("REGISTRY_MAX_STALENESS_SECONDS", staleness, 1, 86_400));
        if (Get("FROM_BLOCK") is { } fromBlock) options.FromBlock = Integer("REGISTRY_FROM_BLOCK", fromBlock, 0, int.MaxValue);
        options.Trusted = TrustedRegistry.ParseSetting(Get("TRUSTED"));
        if (Get("PUBLIC_RPC_URL") is { } publicRpc)
            options.PublicRpcUrl = HttpUrl.TryParse(publicRpc, out var uri) ? uri : throw Bad("REGISTRY_PUBLIC_RPC_URL", publicRpc);
        if (Get("NAME") is { } name) options.Name = name;
        options.VerifierDir = Get("VERIFIER_DIR");
        return options;
    }

    private static int Integer(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new RegistrySettingsException($"{name}='{text}' must be a whole number from {min} to {max}.");

    private static decimal Amount(string name, string text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value <= 1_000_000m
            ? value
            : throw new RegistrySettingsException($"{name}='{text}' must be a non-negative decimal number such as 0.05.");

    private static RegistrySettingsException Bad(string name, string value) => new($"{name}='{value}' is not valid.");
}
