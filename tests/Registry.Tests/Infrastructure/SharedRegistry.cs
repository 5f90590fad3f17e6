using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Registry.Tests.Infrastructure;

/// <summary>
/// One running registry with one issuer and an anchored batch of three badges, shared by the tests
/// that only read it (verification, tampering), so the suite anchors once instead of once per test.
/// </summary>
public sealed class SharedRegistry : IAsyncLifetime
{
    /// <summary>The issuer's name, on chain and in the registry.</summary>
    public const string IssuerName = "Open University of Testing";

    public HardhatNode Node { get; } = new();
    public RegistryApp App { get; private set; } = null!;
    public CreatedIssuer Issuer { get; private set; } = null!;
    public HttpClient IssuerClient { get; private set; } = null!;
    public IReadOnlyList<string> CredentialIds { get; private set; } = [];
    public JsonObject Portable { get; private set; } = null!;
    public string Contract { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Node.InitializeAsync();
        App = new RegistryApp(Node.RpcUrl);
        (Issuer, IssuerClient) = await App.AddIssuerAsync(IssuerName);
        CredentialIds = await App.IssueAndAnchorAsync(IssuerClient,
            Samples.Badge("did:example:alice"), Samples.Badge("did:example:bob"), Samples.Badge("did:example:carol"));
        Portable = (await IssuerClient.GetFromJsonAsync<JsonObject>($"/credentials/{CredentialIds[0]}/credential.json"))!;
        Contract = Portable.AnchorProof()["anchor"]!["registry"]!.GetValue<string>();
    }

    /// <summary>A fresh copy of the anchored portable credential, to tamper with.</summary>
    public JsonObject CopyOfPortable() => (JsonObject)Portable.DeepClone();

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Node.DisposeAsync();
    }
}

/// <summary>
/// The tests of the shared registry, and some that start registries of their own on its node: one after
/// another, so that no two registries send from the operator's account to one node at once. Giving each
/// class that starts registries a node of its own and running them beside the rest measured no faster on
/// two cores, and let tests that time blocks race a loaded machine; the rest of them run one after another
/// on a second shared node (<see cref="NodeCollection"/>) beside this collection.
/// </summary>
[TakesAbout(300)]
[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<SharedRegistry>
{
    public const string Name = "registry";
}

/// <summary>
/// The tests that start registries of their own (each deploying a contract of its own) on a shared node (a
/// local-chain Anvil node, running with nothing on it), or nodes of their own, and read nothing of the shared
/// registry's: one after another, as in
/// <see cref="RegistryCollection"/>, but on a node of their own and beside that collection, so that the
/// suite's two longest chains of tests run at once instead of end to end.
/// </summary>
[TakesAbout(250)]
[CollectionDefinition(Name)]
public sealed class NodeCollection : ICollectionFixture<LocalAnvilNode>
{
    public const string Name = "node";
}

/// <summary>
/// Tests that measure the registry's pace: they run after every other collection has finished, alone, so
/// that what they measure is the registry and not the rest of the suite.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection : ICollectionFixture<SharedRegistry>
{
    public const string Name = "timing";
}
