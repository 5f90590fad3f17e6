using Microsoft.Extensions.Configuration;

namespace Registry.Settings;

/// <summary>
/// The chain the registry and the command line talk to: REGISTRY_RPC_URL, REGISTRY_CONTRACT and
/// REGISTRY_OPERATOR_KEY, or the same keys of the <c>Registry</c> section.
/// </summary>
public class ChainSettings
{
    /// <summary>The Ethereum JSON-RPC endpoint.</summary>
    [HttpUrl]
    public Uri RpcUrl { get; set; } = Web.HttpUrl.DefaultRpc;

    /// <summary>The CredentialRegistry contract; on the local chain the registry deploys one when it is unset.</summary>
    [ContractAddress]
    public string? Contract { get; set; }

    /// <summary>The private key of the account that owns the contract; the local chain's first development account when unset there.</summary>
    public string? OperatorKey { get; set; }

    /// <summary>
    /// The chain settings of the environment (REGISTRY_ variables), with the values of command-line
    /// options laid over them; each problem names the variable or option that was set.
    /// </summary>
    public static (ChainSettings? Settings, IReadOnlyList<string> Problems) FromEnvironment(params (string Option, string Property, string? Value)[] options)
    {
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables();
        configuration.AddRegistryVariables();
        ((IConfigurationBuilder)configuration).Add(new NamedSettingsProvider(options
            .Where(o => o.Value is not null)
            .Select(o => ($"{RegistryVariables.Section}:{o.Property}", o.Option, o.Value!))));
        var unreadable = SettingRules.Unreadable(configuration, typeof(ChainSettings)).ToList();
        if (unreadable.Count > 0) return (null, unreadable);
        var settings = configuration.GetSection(RegistryVariables.Section).Get<ChainSettings>() ?? new ChainSettings();
        var problems = SettingRules.Problems(configuration, settings).ToList();
        return problems.Count > 0 ? (null, problems) : (settings, problems);
    }
}
