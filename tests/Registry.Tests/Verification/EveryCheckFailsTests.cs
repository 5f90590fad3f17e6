using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Chain;
using Registry.Tests.Infrastructure;
using Registry.Verification;
using Registry.Verification.Rpc;

namespace Registry.Tests.Verification;

/// <summary>The checks that tampering alone cannot reach: validity in time, and a trusted RPC serving another chain.</summary>
[Collection(RegistryCollection.Name)]
public sealed class EveryCheckFailsTests(SharedRegistry registry)
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task A_credential_outside_its_validity_window_fails_at_validity()
    {
        var expiring = Samples.Badge("did:example:short-course");
        expiring["validUntil"] = registry.App.Clock.GetUtcNow().AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var early = Samples.Badge("did:example:next-year");
        early["validFrom"] = registry.App.Clock.GetUtcNow().AddYears(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var ids = await registry.App.IssueAndAnchorAsync(registry.IssuerClient, expiring, early);

        var notYet = await registry.App.VerifyAsync(await registry.IssuerClient.PortableAsync(ids[1]));
        Assert.Equal("validity", notYet.FailedCheck()!["name"]!.GetValue<string>());
        Assert.Contains("Not valid before", notYet.FailedCheck()!["message"]!.GetValue<string>());

        var portable = await registry.IssuerClient.PortableAsync(ids[0]);
        Assert.True((await registry.App.VerifyAsync(portable))["verified"]!.GetValue<bool>());
        JsonObject expired;
        using (registry.App.Clock.AdvanceFor(TimeSpan.FromHours(2)))
            expired = await registry.App.VerifyAsync(portable);
        Assert.Equal("validity", expired.FailedCheck()!["name"]!.GetValue<string>());
        Assert.Contains("Expired", expired.FailedCheck()!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_trusted_rpc_that_serves_another_chain_fails_at_registry()
    {
        // Configured to trust the contract on chain 1, but the RPC given for it serves chain 31337.
        var trust = new TrustedRegistries(Http, [new TrustedRegistry(1, registry.Contract, registry.Node.RpcUrl)]);
        var document = registry.CopyOfPortable();
        TamperingTests.Reanchor(document, "chainId", 1);

        var report = await new CredentialVerifier(trust).VerifyAsync(System.Text.Encoding.UTF8.GetBytes(document.ToJsonString()));

        Assert.False(report.Verified);
        Assert.Equal("registry", report.FirstFailure!.Name);
        Assert.Contains("serves chain 31337", report.FirstFailure.Message);
        // The same trust with the proof's own chain: the credential, as issued, verifies.
        var honest = new TrustedRegistries(Http, [new TrustedRegistry(31337, registry.Contract, registry.Node.RpcUrl)]);
        Assert.True((await new CredentialVerifier(honest).VerifyAsync(registry.CopyOfPortable())).Verified);
    }
}
