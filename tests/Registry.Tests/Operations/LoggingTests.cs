using System.Net.Http.Json;
using Registry.Tests.Infrastructure;

namespace Registry.Tests.Operations;

/// <summary>The logging defaults the registry ships: its own events, the framework's warnings, and no line per request.</summary>
[Collection(NodeCollection.Name)]
public sealed class LoggingTests(LocalAnvilNode node)
{
    [Fact]
    public async Task By_default_requests_write_no_lines_and_the_registry_says_what_it_did()
    {
        var settings = RegistryProcess.Settings(node.RpcUrl);
        settings["Logging__LogLevel__Default"] = null; // the shipped defaults, as an operator gets them
        await using var process = RegistryProcess.Start(settings);
        await process.WaitForHealthAsync();
        using var http = new HttpClient { BaseAddress = process.Url };
        for (var i = 0; i < 20; i++) await http.GetAsync("/health");
        await http.PostAsJsonAsync("/verify", new { hello = "world" });
        // Stopped as an operator stops it, the registry has written every line of those requests' before it exits.
        Assert.Equal(0, await process.StopAsync());

        Assert.DoesNotContain("Request starting", process.Output);
        Assert.DoesNotContain("Request finished", process.Output);
        Assert.Contains("Deployed CredentialRegistry", process.Output); // the registry's own event, at Information
    }

    [Fact]
    public async Task Request_lines_come_back_when_asked_for()
    {
        var settings = RegistryProcess.Settings(node.RpcUrl);
        settings["Logging__LogLevel__Default"] = null;
        settings["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
        await using var process = RegistryProcess.Start(settings);
        await process.WaitForHealthAsync();
        await Eventually.TrueAsync(() => process.Output.Contains("Request finished", StringComparison.Ordinal), "a request line in the log");
    }
}
