using System.Runtime.InteropServices;

namespace Registry.Api.Storage;

/// <summary>
/// The data folder holds the issuers' keystores (in the LiteDB file and its log), the credentials' logs,
/// the admin key and the keystore password: only the registry's own user may read it. The folder is
/// 0700 and every file in it 0600; what the registry creates is born that way, and what it finds looser
/// at start is tightened (and logged). What it cannot tighten stops the registry.
/// </summary>
public static class DataFolder
{
    private const UnixFileMode OthersBits = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>0700: the folder's owner alone may list and enter it.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates the folder (0700), or tightens it and everything under it; returns each path it changed,
    /// with its mode before. From now on the process creates files 0600 and folders 0700 (a umask of
    /// 077), so LiteDB's files, created by a library that takes no mode, are born private too.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">A path the registry's user cannot change (another user owns it).</exception>
    public static IReadOnlyList<string> Secure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return [];
        }
        umask(0b000_111_111);
        var changed = new List<string>();
        if (!Directory.Exists(path)) Directory.CreateDirectory(path, FolderMode);
        Tighten(new DirectoryInfo(path), changed);
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            if (entry.LinkTarget is null) Tighten(entry, changed);
        return changed;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(FileSystemInfo entry, List<string> changed)
    {
        var mode = entry.UnixFileMode;
        if ((mode & OthersBits) == 0) return;
        entry.UnixFileMode = mode & ~OthersBits;
        changed.Add($"{entry.FullName} (was {Convert.ToString((int)mode, 8)})");
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint umask(uint mask);
}
