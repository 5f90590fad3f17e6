namespace Registry.Tests.Infrastructure;

/// <summary>
/// A registry of the test's own with one issuer and a client holding its key: what most tests that
/// issue start from. Disposing it stops the registry.
/// </summary>
public sealed record RegistryWithIssuer(RegistryApp App, CreatedIssuer Issuer, HttpClient Client) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => App.DisposeAsync();
}

/// <summary>An issuer created through the API and a client that acts as it.</summary>
public sealed record IssuerWithClient(CreatedIssuer Issuer, HttpClient Client);
