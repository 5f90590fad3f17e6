using System.Reflection;
using Xunit;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Registry.Tests.Infrastructure.LongestFirst", "Registry.Tests")]

namespace Registry.Tests.Infrastructure;

/// <summary>
/// Marks a test class, or a collection's definition, as one that takes about <paramref name="seconds"/>
/// on two quiet cores, its fixture's start included, so that <see cref="LongestFirst"/> starts it before
/// the short ones.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class TakesAboutAttribute(int seconds) : Attribute
{
    public int Seconds { get; } = seconds;
}

/// <summary>
/// Starts the test collections that take longest first (those marked <see cref="TakesAboutAttribute"/>,
/// longest first), then the rest in xUnit's own order. As many collections run at a time as
/// xunit.runner.json's <c>maxParallelThreads</c> allows: a long one started last would run on alone while
/// the other slots idle (the browser tests' fixture, which publishes the page and starts Chromium, used to
/// start last and end the parallel part of the run alone for minutes; the shared registry's and the shared
/// node's serial collections are the longest now).
/// Collections with parallelization disabled still run after all of these.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .Select((collection, position) => (collection, position, seconds: SecondsOf(collection)))
            .OrderByDescending(entry => entry.seconds)
            .ThenBy(entry => entry.position)
            .Select(entry => entry.collection);

    /// <summary>
    /// The marked time of a collection: its definition's, or, for the collection xUnit makes of one class,
    /// that class's (xUnit names it "Test collection for" and the class's full name); 0 when unmarked.
    /// </summary>
    private static int SecondsOf(ITestCollection collection)
    {
        const string PerClass = "Test collection for ";
        var type = (collection.CollectionDefinition as IReflectionTypeInfo)?.Type
            ?? (collection.DisplayName.StartsWith(PerClass, StringComparison.Ordinal)
                ? typeof(LongestFirst).Assembly.GetType(collection.DisplayName[PerClass.Length..].Split(' ')[0])
                : null);
        return type?.GetCustomAttribute<TakesAboutAttribute>()?.Seconds ?? 0;
    }
}
