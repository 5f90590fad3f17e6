using System.Text;
using Microsoft.Extensions.Configuration;

namespace Registry.Settings;

/// <summary>
/// The registry's settings live in the <c>Registry</c> configuration section (<c>appsettings.json</c>,
/// or <c>Registry__MaxBatchSize</c> in the environment); the documented variables are the same keys
/// spelt REGISTRY_MAX_BATCH_SIZE. An empty variable counts as unset, and a variable wins over
/// <c>appsettings.json</c>.
/// </summary>
public static class RegistryVariables
{
    public const string Section = "Registry";
    public const string Prefix = "REGISTRY_";

    /// <summary>Serves each REGISTRY_ variable that the configuration holds so far as its key in the section.</summary>
    public static IConfigurationManager AddRegistryVariables(this IConfigurationManager configuration)
    {
        var variables = configuration.AsEnumerable()
            .Where(setting => setting.Key.StartsWith(Prefix, StringComparison.Ordinal) && !setting.Key.Contains(':') && !string.IsNullOrEmpty(setting.Value))
            .Select(setting => (KeyOf(setting.Key), setting.Key, setting.Value!))
            .ToList();
        configuration.Add(new NamedSettingsProvider(variables));
        return configuration;
    }

    /// <summary>REGISTRY_MAX_BATCH_SIZE is <c>Registry:MaxBatchSize</c>.</summary>
    public static string KeyOf(string variable)
    {
        var key = new StringBuilder(Section).Append(':');
        foreach (var word in variable[Prefix.Length..].Split('_', StringSplitOptions.RemoveEmptyEntries))
            key.Append(char.ToUpperInvariant(word[0])).Append(word[1..].ToLowerInvariant());
        return key.ToString();
    }

    /// <summary><c>MaxBatchSize</c> is REGISTRY_MAX_BATCH_SIZE.</summary>
    public static string VariableOf(string property)
    {
        var variable = new StringBuilder(Prefix);
        for (var i = 0; i < property.Length; i++)
        {
            if (i > 0 && char.IsUpper(property[i])) variable.Append('_');
            variable.Append(char.ToUpperInvariant(property[i]));
        }
        return variable.ToString();
    }

    /// <summary>
    /// The name a setting was given under: its variable, its key in <c>appsettings.json</c>, or the
    /// command-line option that set it; its variable when it is not set at all.
    /// </summary>
    public static string NameAsSet(IConfiguration configuration, string property)
    {
        var key = $"{Section}:{property}";
        if (configuration is IConfigurationRoot root)
            foreach (var provider in root.Providers.Reverse())
                if (provider.TryGet(key, out _))
                    return provider is NamedSettingsProvider named ? named.NameOf(key) : key;
        return VariableOf(property);
    }
}
