using System.Security.Cryptography;
using Registry.Api.Storage;

namespace Registry.Api.Security;

/// <summary>Loads every key holder into the key directory at start: the admin, the issuers and the auditors.</summary>
public static class KeyDirectoryLoader
{
    public const string AdminKeyFile = "admin.key";

    public static void Load(ApiKeyDirectory keys, IIssuerStore issuers, IAuditorStore auditors, RegistryOptions options, ILogger logger)
    {
        keys.Register(ApiKeyDirectory.Hash(AdminKey(options, logger)), new KeyHolder(Roles.Admin, "admin"));
        foreach (var issuer in issuers.All())
            keys.Register(issuer.ApiKeyHash, new KeyHolder(Roles.Issuer, issuer.Id));
        foreach (var auditor in auditors.All())
            keys.Register(auditor.ApiKeyHash, new KeyHolder(Roles.Auditor, auditor.Id));
    }

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
