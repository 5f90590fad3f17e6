using System.Security.Cryptography;
using Registry.Api.Storage;

namespace Registry.Api.Security;

/// <summary>
/// Loads every key holder into the key directory at start: the admin, the issuers and the auditors; a key
/// not held later (its holder created through another instance) is looked up in the stores by its hash.
/// An issuer holds its key once the chain admitted it, not while its creation is pending or after it failed.
/// </summary>
public static class KeyDirectoryLoader
{
    public const string AdminKeyFile = "admin.key";

    public static void Load(ApiKeyDirectory keys, IIssuerStore issuers, IAuditorStore auditors, RegistryOptions options, ILogger logger)
    {
        keys.Register(ApiKeyDirectory.Hash(AdminKey(options, logger)), new KeyHolder(Roles.Admin, "admin"));
        keys.LoadFrom(
            issuers.All().Where(i => i.Admission is null).Select(i => (i.ApiKeyHash, HolderOf(i)))
                .Concat(auditors.All().Select(a => (a.ApiKeyHash, HolderOf(a)))),
            hash => issuers.FindByApiKeyHash(hash) is { Admission: null } issuer ? HolderOf(issuer)
                : auditors.FindByApiKeyHash(hash) is { } auditor ? HolderOf(auditor) : null);
    }

    private static KeyHolder HolderOf(IssuerEntity issuer) => new(Roles.Issuer, issuer.Id);

    private static KeyHolder HolderOf(AuditorEntity auditor) => new(Roles.Auditor, auditor.Id);

    /// <summary>REGISTRY_ADMIN_KEY, or a key generated at first start into the data folder.</summary>
    private static string AdminKey(RegistryOptions options, ILogger logger)
    {
        if (options.AdminKey is { } configured) return configured;
        var path = Path.GetFullPath(Path.Combine(options.DataDir, AdminKeyFile));
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(options.DataDir);
            File.WriteAllText(path, ApiKeyDirectory.NewKey());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        logger.LogInformation("Admin API key: in {Path}", path);
        return File.ReadAllText(path).Trim();
    }
}
