using System.Text.RegularExpressions;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Layering;

/// <summary>
/// Handlers and services reach what the registry keeps through the store interfaces alone
/// (docs/DESIGN.md, "Storage"): only the API's <c>Storage/</c> folder names LiteDB, its database, the
/// logs or PostgreSQL, so that another store is one more implementation of the same interfaces.
/// </summary>
public sealed partial class StoreBoundaryTests
{
    [GeneratedRegex(@"\b(LiteDB|LiteDatabase|ILiteCollection|RegistryDatabase|LiteStorage|CredentialStore|AppendLog|RecordBuffer|Npgsql\w*)\b")]
    private static partial Regex StoreInternals();

    [Fact]
    public void No_file_of_the_api_outside_storage_names_what_keeps_the_stores()
    {
        var api = Path.Combine(RepositoryRoot.Path, "src", "Registry.Api");
        var storage = Path.Combine(api, "Storage") + Path.DirectorySeparatorChar;
        var files = Directory.EnumerateFiles(api, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(storage, StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.True(files.Count > 20, $"Only {files.Count} source files found under {api}.");
        var offenders = files.SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(api, f), Line: i + 1, Text: line)))
            .Where(l => StoreInternals().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "These lines reach past the store interfaces:\n" + string.Join("\n", offenders));
    }

    /// <summary>The check can fail: what a handler reaching into the store would write is caught, and the interfaces are not.</summary>
    [Theory]
    [InlineData("using LiteDB;", true)]
    [InlineData("RegistryDatabase database,", true)]
    [InlineData("app.Services.GetRequiredService<CredentialStore>();", true)]
    [InlineData("await using var connection = new NpgsqlConnection(url);", true)]
    [InlineData("ICredentialStore store, IBatchStore batches,", false)]
    public void The_check_tells_store_internals_from_interfaces(string line, bool caught) =>
        Assert.Equal(caught, StoreInternals().IsMatch(line));
}
