namespace Registry.Tests.Infrastructure;

/// <summary>
/// The tests that run scripts/bench.sh, which takes both cores to measure the registry: alone, after
/// every other collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScriptsCollection
{
    public const string Name = "scripts";
}
