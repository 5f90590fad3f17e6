using System.ComponentModel.DataAnnotations;
using Registry.Chain;
using Registry.Settings;
using Registry.Verification;

namespace Registry.Api;

/// <summary>
/// The registry's settings: the <c>Registry</c> configuration section (<c>appsettings.json</c>), or the
/// documented REGISTRY_* variables, which are the same keys (REGISTRY_MAX_BATCH_SIZE is
/// <c>Registry:MaxBatchSize</c>). Bound and judged at start by <see cref="RegistrySettings"/>; each
/// rule's message says what the value must be.
/// </summary>
public sealed class RegistryOptions : ChainSettings
{
    /// <summary>The largest batch: a little over a million credentials (its tree and members fit the API's memory target).</summary>
    public const int MaxBatchSizeLimit = 1 << 20;

    private const string WholeNumber = "a whole number from {1} to {2}";
    private const string Amount = "a non-negative decimal number such as 0.05";

    /// <summary>Where the API listens (read by the web host, before anything else).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    public string DataDir { get; set; } = "./data";

    /// <summary>A PostgreSQL database that keeps everything instead of the data folder: <c>postgresql://user:password@host:port/database</c>.</summary>
    [DatabaseUrl]
    public string? DatabaseUrl { get; set; }
    public string? AdminKey { get; set; }
    public string? KeystorePassword { get; set; }

    /// <summary>
    /// New issuer keystores with geth's light scrypt parameters instead of the standard ones: a development
    /// and test setting, which the registry refuses on any chain but the local one.
    /// </summary>
    public bool LightKdf { get; set; }

    [Range(1, MaxBatchSizeLimit, ErrorMessage = WholeNumber)]
    public int MaxBatchSize { get; set; } = 10_000;

    [Range(0, 86_400 * 7, ErrorMessage = WholeNumber)]
    public int MaxDelaySeconds { get; set; } = 60;

    public TimeSpan MaxDelay => TimeSpan.FromSeconds(MaxDelaySeconds);

    [Range(0, 1000, ErrorMessage = WholeNumber)]
    public int? Confirmations { get; set; }

    [Range(0, int.MaxValue, ErrorMessage = WholeNumber)]
    public int VerifyRateLimit { get; set; } = 600;

    /// <summary>More registries to trust when verifying: <c>chainId:address=rpcUrl</c>, comma-separated.</summary>
    [TrustedRegistries]
    public string? Trusted { get; set; }

    public IReadOnlyList<TrustedRegistry> TrustedRegistries => TrustedRegistry.ParseSetting(Trusted);

    /// <summary>MiB of <c>/verify</c> bodies a minute per client: two of the largest, thousands of usual ones; 0 for no limit (else at least 4, the largest body).</summary>
    [Range(0, 2047, ErrorMessage = WholeNumber)]
    public int VerifyMibPerMinute { get; set; } = 8;

    /// <summary>Reverse proxies (addresses or networks, comma-separated) whose <c>X-Forwarded-For</c> names the client; none by default.</summary>
    [TrustedProxies]
    public string? TrustedProxies { get; set; }

    public IReadOnlyList<System.Net.IPNetwork> TrustedProxyNetworks =>
        TrustedProxies is null ? [] : Security.ClientAddresses.TryParseProxies(TrustedProxies, out _) ?? [];

    /// <summary>The node the verification page's visitors read this registry's contract through; by default the registry's own RPC URL on the local chain only, as elsewhere it may carry a provider key.</summary>
    [HttpUrl]
    public Uri? PublicRpcUrl { get; set; }

    /// <summary>
    /// The base URL wallets and verifiers reach the status lists at (<c>{PublicUrl}/status/{issuer}/{list}</c>),
    /// written into every credential's status entry; by default the registry's own address (<see cref="OwnAddress"/>).
    /// </summary>
    [PublicBaseUrl]
    public Uri? PublicUrl { get; set; }

    /// <summary>The base URL of status lists: <see cref="PublicUrl"/>, or the registry's own address.</summary>
    public Uri StatusBaseUrl => PublicUrl ?? OwnAddress(Urls);

    /// <summary>
    /// The first address the registry listens at, as a client reaches it: a wildcard host (<c>+</c>, <c>*</c>,
    /// <c>0.0.0.0</c>, <c>[::]</c>) becomes <c>localhost</c>.
    /// </summary>
    public static Uri OwnAddress(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? new RegistryOptions().Urls;
        var wildcard = System.Text.RegularExpressions.Regex.Match(first, @"^(https?://)(\+|\*|0\.0\.0\.0|\[::\])(:\d+)?(/.*)?$");
        if (wildcard.Success) first = $"{wildcard.Groups[1].Value}localhost{wildcard.Groups[3].Value}{wildcard.Groups[4].Value}";
        return Web.HttpUrl.TryParse(first, out var url) ? url : new Uri(new RegistryOptions().Urls);
    }

    /// <summary>The name the verification page shows for this registry.</summary>
    public string Name { get; set; } = "Credential Registry";

    /// <summary>The published browser verifier (scripts/publish-verifier.sh) that the registry serves at <c>/</c>; null to look in the usual places.</summary>
    public string? VerifierDir { get; set; }

    /// <summary>Ether sent to each new issuer account on the local chain.</summary>
    [Range(typeof(decimal), "0", "1000000", ErrorMessage = Amount)]
    public decimal IssuerFunding { get; set; } = 10m;

    /// <summary>The most an anchoring transaction may pay per gas (base fee and tip), in gwei; 0 for no ceiling.</summary>
    [Range(typeof(decimal), "0", "1000000", ErrorMessage = Amount)]
    public decimal MaxFeeGwei { get; set; } = 100m;

    /// <summary>Blocks an anchoring transaction may wait in the pool before it is replaced with a higher tip.</summary>
    [Range(1, 10_000, ErrorMessage = WholeNumber)]
    public int ReplaceAfterBlocks { get; set; } = 5;

    /// <summary>When set: the operator sends this much ether to an issuer account that cannot pay for its next anchor, or holds less than <see cref="TopupBelow"/>.</summary>
    [Range(typeof(decimal), "0", "1000000", ErrorMessage = Amount)]
    public decimal? TopupAmount { get; set; }

    /// <summary>The balance, in ether, under which a new or anchoring issuer account is topped up (with <see cref="TopupAmount"/> set).</summary>
    [Range(typeof(decimal), "0", "1000000", ErrorMessage = Amount)]
    public decimal TopupBelow { get; set; }

    /// <summary>How far the chain index may lag behind the node before verification asks the node instead.</summary>
    [Range(1, 86_400, ErrorMessage = WholeNumber)]
    public int MaxStalenessSeconds { get; set; } = 30;

    public TimeSpan MaxStaleness => TimeSpan.FromSeconds(MaxStalenessSeconds);

    /// <summary>The block the chain follower starts reading from when the registry did not deploy the contract itself.</summary>
    [Range(typeof(long), "0", "2147483647", ErrorMessage = WholeNumber)]
    public long FromBlock { get; set; }

    /// <summary>Days an offer (<c>POST /offers</c>) may be claimed before it expires.</summary>
    [Range(1, 365, ErrorMessage = WholeNumber)]
    public int OfferDays { get; set; } = 7;

    public TimeSpan OfferLifetime => TimeSpan.FromDays(OfferDays);

    /// <summary>Off the local chain, /health is degraded when the chain's head has not moved for this long.</summary>
    [Range(1, 86_400, ErrorMessage = WholeNumber)]
    public int HeadStallSeconds { get; set; } = 120;

    public TimeSpan HeadStall => TimeSpan.FromSeconds(HeadStallSeconds);

    /// <summary>Blocks on top of the anchoring block before proofs are handed out: none on the local chain, 12 elsewhere.</summary>
    public int ConfirmationsFor(long chainId) => Confirmations ?? (chainId == DevelopmentChain.ChainId ? 0 : 12);
}

/// <summary>A list that <see cref="TrustedRegistry.ParseSetting"/> reads.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TrustedRegistriesAttribute() : ValidationAttribute("a comma-separated list of chainId:address=rpcUrl")
{
    public override bool IsValid(object? value)
    {
        try
        {
            TrustedRegistry.ParseSetting(value as string);
            return true;
        }
        catch (FormatException e)
        {
            ErrorMessage = $"a comma-separated list of chainId:address=rpcUrl ({e.Message.TrimEnd('.')})";
            return false;
        }
    }
}

/// <summary>An absolute http(s) URL with neither query nor fragment, to which paths are appended.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PublicBaseUrlAttribute() : ValidationAttribute("an absolute http(s) URL without query or fragment, such as https://registry.example.org")
{
    public override bool IsValid(object? value) =>
        value is null || value is Uri url && Web.HttpUrl.TryParse(url.OriginalString, out var parsed)
            && url.OriginalString.IndexOfAny(['?', '#']) < 0 && parsed.UserInfo.Length == 0;
}

/// <summary>Addresses or networks that <see cref="Security.ClientAddresses.TryParseProxies"/> reads.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TrustedProxiesAttribute() : ValidationAttribute("a comma-separated list of IP addresses or networks such as 10.0.0.0/8")
{
    public override bool IsValid(object? value) => value is not string text || Security.ClientAddresses.TryParseProxies(text, out _) is not null;
}

[AttributeUsage(AttributeTargets.Property)]
public sealed class DatabaseUrlAttribute() : ValidationAttribute("a postgresql://user:password@host:port/database URL")
{
    public override bool IsValid(object? value) => value is not string url || Storage.Postgres.DatabaseUrl.TryParse(url, out _, out _);
}
