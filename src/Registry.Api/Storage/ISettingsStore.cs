namespace Registry.Api.Storage;

/// <summary>What the registry chose itself and must remember: the contract it deployed, its block, the chain's id.</summary>
public interface ISettingsStore
{
    string? Get(string id);

    /// <summary>Stores every value given, all or none.</summary>
    void Set(params (string Id, string Value)[] values);
}
