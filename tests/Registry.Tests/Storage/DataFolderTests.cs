using System.Net.Http.Json;
using Registry.Api.Storage;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Storage;

/// <summary>
/// The data folder (keystores in the LiteDB file and its log, credentials, the admin key) is the
/// registry's user's alone: the folder 0700 and every file in it 0600, whether the registry created
/// them or found them looser at start.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class DataFolderTests(LocalAnvilNode node)
{
    private const UnixFileMode OthersBits = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task A_new_data_folder_and_everything_the_registry_writes_in_it_are_private()
    {
        if (OperatingSystem.IsWindows()) return;
        var dataDir = Path.Combine(TempFolder.Create(), "data");
        await using (var app = new RegistryApp(node.RpcUrl, dataDir, new Dictionary<string, string> { ["REGISTRY_KEYSTORE_PASSWORD"] = "" }))
        {
            await app.IssueAndAnchorAsync((await app.AddIssuerAsync("Private Folder College")).Client, Samples.Plain());
            AssertPrivate(dataDir, RegistryDatabase.FileName, "keystore.password");
        }
        AssertPrivate(dataDir, RegistryDatabase.FileName);
    }

    [Fact]
    public async Task A_folder_found_readable_by_others_is_tightened_at_start()
    {
        if (OperatingSystem.IsWindows()) return;
        var dataDir = TempFolder.Create();
        await using (var first = new RegistryApp(node.RpcUrl, dataDir))
            await first.CreateIssuerAsync("Loose Folder College");
        File.SetUnixFileMode(dataDir, (UnixFileMode)Convert.ToInt32("755", 8));
        foreach (var file in Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories))
            File.SetUnixFileMode(file, (UnixFileMode)Convert.ToInt32("644", 8));
        var stray = Path.Combine(dataDir, "notes.txt");
        await File.WriteAllTextAsync(stray, "an operator's file");
        File.SetUnixFileMode(stray, (UnixFileMode)Convert.ToInt32("666", 8));

        await using var second = new RegistryApp(node.RpcUrl, dataDir);
        Assert.Single((await second.Admin().GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/issuers"))!);
        AssertPrivate(dataDir, RegistryDatabase.FileName, "notes.txt");
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void AssertPrivate(string dataDir, params string[] expected)
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDir));
        var files = Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories).ToList();
        foreach (var name in expected) Assert.Contains(Path.Combine(dataDir, name), files);
        foreach (var file in files) Assert.True((File.GetUnixFileMode(file) & OthersBits) == 0, $"{file}: {Convert.ToString((int)File.GetUnixFileMode(file), 8)}");
        foreach (var folder in Directory.EnumerateDirectories(dataDir, "*", SearchOption.AllDirectories))
            Assert.True((File.GetUnixFileMode(folder) & OthersBits) == 0, folder);
    }
}
