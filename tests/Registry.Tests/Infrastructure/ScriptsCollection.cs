namespace Registry.Tests.Infrastructure;

/// <summary>
/// The tests that run the project's scripts (start.sh, bench.sh): each builds the registry into the
/// same folder, so no two of them run at the same time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ScriptsCollection
{
    public const string Name = "scripts";
}
