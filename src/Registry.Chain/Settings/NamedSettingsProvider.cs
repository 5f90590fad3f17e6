using Microsoft.Extensions.Configuration;

namespace Registry.Settings;

/// <summary>
/// Settings that arrive under names of their own (REGISTRY_MAX_BATCH_SIZE, <c>--rpc</c>) and are served
/// as keys of the <c>Registry</c> section, remembering each one's name so that a message about a bad
/// value names it as its operator wrote it.
/// </summary>
public sealed class NamedSettingsProvider(IEnumerable<(string Key, string Name, string Value)> settings) : ConfigurationProvider, IConfigurationSource
{
    private readonly Dictionary<string, string> _names = new(StringComparer.OrdinalIgnoreCase);

    public override void Load()
    {
        foreach (var (key, name, value) in settings)
        {
            Data[key] = value;
            _names[key] = name;
        }
    }

    /// <summary>The name the setting of this configuration key arrived under.</summary>
    public string NameOf(string key) => _names[key];

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;
}
