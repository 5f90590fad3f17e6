namespace Registry.Tests.Infrastructure;

/// <summary>
/// A running registry with one issuer and nothing anchored, for tests of what the API accepts and
/// refuses; they need the chain only to admit the issuer.
/// </summary>
public sealed class IssuingRegistry : IAsyncLifetime
{
    public HardhatNode Node { get; } = new();
    public RegistryApp App { get; private set; } = null!;
    public HttpClient IssuerClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Node.InitializeAsync();
        // Every test of the collection reaches /verify through the test server as one client: a byte budget shared
        // by them all would refuse some of them by the order they ran in. The budget has tests of its own (VerifyFloodTests).
        App = new RegistryApp(Node.RpcUrl, settings: new Dictionary<string, string> { ["REGISTRY_VERIFY_MIB_PER_MINUTE"] = "0" });
        (_, IssuerClient) = await App.AddIssuerAsync("Input Checking College");
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Node.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class IssuingCollection : ICollectionFixture<IssuingRegistry>
{
    public const string Name = "issuing";
}
