namespace Registry.Tests.Infrastructure;

/// <summary>
/// The tests that run the project's scripts (start.sh, bench.sh): each builds the registry into the
/// same folder, and they time restarts and quick exits, so they run alone, after every other collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScriptsCollection
{
    public const string Name = "scripts";
}
