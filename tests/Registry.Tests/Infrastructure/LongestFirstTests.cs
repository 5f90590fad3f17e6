using Registry.Tests.Browser;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Registry.Tests.Infrastructure;

public sealed class LongestFirstTests
{
    private static readonly ITestAssembly Assembly = new TestAssembly(Reflector.Wrap(typeof(LongestFirstTests).Assembly));

    private static ITestCollection PerClass(Type type) =>
        new TestCollection(Assembly, null, $"Test collection for {type.FullName}");

    private static ITestCollection Defined(Type definition, string name) =>
        new TestCollection(Assembly, Reflector.Wrap(definition), name);

    [Fact]
    public void Marked_collections_start_first_longest_first_and_the_rest_keep_their_order()
    {
        var unmarkedA = PerClass(typeof(LongestFirstTests));
        var browser = PerClass(typeof(VerifierPageTests));
        var unmarkedB = Defined(typeof(IssuingCollection), IssuingCollection.Name);
        var registry = Defined(typeof(RegistryCollection), RegistryCollection.Name);

        var ordered = new LongestFirst().OrderTestCollections([unmarkedA, browser, unmarkedB, registry]).ToList();

        Assert.Equal([registry, browser, unmarkedA, unmarkedB], ordered);
    }
}
