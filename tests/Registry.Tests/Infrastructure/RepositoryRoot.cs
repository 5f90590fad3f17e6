namespace Registry.Tests.Infrastructure;

public static class RepositoryRoot
{
    /// <summary>The checkout's root: the nearest folder above the test binaries that holds hardhat.config.js.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "hardhat.config.js"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (hardhat.config.js) above the test binaries.");
    }
}
