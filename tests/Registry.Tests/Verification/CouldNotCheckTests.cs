using Registry.Tests.Infrastructure;
using Registry.Verification;
using Registry.Verification.Rpc;

namespace Registry.Tests.Verification;

/// <summary>
/// A chain that cannot be read is no verdict: the check says it could not be completed, with a reason
/// code, and the answer's outcome is could-not-check, never the not-verified of a forgery.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class CouldNotCheckTests(SharedRegistry registry)
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task The_api_with_its_node_down_answers_could_not_check_not_a_verdict()
    {
        var down = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        await using var app = new RegistryApp(down, settings: new Dictionary<string, string> { ["REGISTRY_CONTRACT"] = registry.Contract });

        var answer = await app.VerifyAsync(registry.CopyOfPortable());

        var registryCheck = answer.CouldNotCheck();
        Assert.Equal("registry", registryCheck["name"]!.GetValue<string>());
        Assert.Equal("node-unreachable", registryCheck["reason"]!.GetValue<string>());
        Assert.StartsWith("Could not check", answer["summary"]!.GetValue<string>());

        // A forgery through the same registry is still a verdict: format and digest need no chain.
        var forged = registry.CopyOfPortable();
        TamperingTests.Tamper(forged, "subject field");
        var refused = await app.VerifyAsync(forged);
        Assert.Equal("not-verified", refused["outcome"]!.GetValue<string>());
        Assert.Equal("digest", refused.FailedCheck()!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_trusted_registry_without_a_node_could_not_be_checked_and_a_later_entry_with_one_wins()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(registry.Portable.ToJsonString());
        var noNode = new TrustedRegistry(31337, registry.Contract);
        var withNode = new TrustedRegistry(31337, registry.Contract, registry.Node.RpcUrl);

        var unread = await new CredentialVerifier(new TrustedRegistries(Http, [withNode, noNode])).VerifyAsync(bytes);
        Assert.Equal(VerificationOutcome.CouldNotCheck, unread.Outcome);
        Assert.Equal(UncheckedReason.NoNode, unread.FirstFailure!.Reason);
        Assert.All(unread.Checks.SkipWhile(c => c.Name != "registry").Skip(1), c => Assert.Equal(CheckStatus.Skipped, c.Status));

        // The same two entries the other way round: the later one, with its node, is the one used.
        var read = await new CredentialVerifier(new TrustedRegistries(Http, [noNode, withNode])).VerifyAsync(bytes);
        Assert.Equal(VerificationOutcome.Verified, read.Outcome);
    }
}
