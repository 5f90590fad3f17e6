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
        Issuer = await App.CreateIssuerAsync(IssuerName);
        IssuerClient = App.ClientWithKey(Issuer.ApiKey);
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

[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<SharedRegistry>
{
    public const string Name = "registry";
}
