namespace Registry.Api;

/// <summary>
/// A setting that cannot work, as opposed to an outage: retrying will not help, so the registry stops
/// at start with this message, which says what to set or do.
/// </summary>
public sealed class RegistrySettingsException(string message) : Exception(message);
