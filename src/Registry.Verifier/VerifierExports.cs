using System.Runtime.InteropServices.JavaScript;
using System.Runtime.Versioning;
using System.Text;
using Registry.Verification;
using Registry.Verification.Rpc;

namespace Registry.Verifier;

/// <summary>
/// What the page's script calls: verification by the one pipeline of Registry.Core, with the trusted
/// registries the page's host lists (trusted.json) and those the user added for this session.
/// Answers are JSON strings, so that the script needs no knowledge of .NET types.
/// </summary>
[SupportedOSPlatform("browser")]
public static partial class VerifierExports
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>The checks in order, with what each one means: <c>[{name, description}]</c>.</summary>
    [JSExport]
    public static string Checks() => PageReport.Checks().ToJsonString();

    /// <summary>Verifies <paramref name="credentialJson"/>; never throws for a bad document or a bad list.</summary>
    [JSExport]
    public static async Task<string> VerifyAsync(string credentialJson, string hostTrustedJson, string sessionTrustedJson)
    {
        IReadOnlyList<TrustedRegistryEntry> trusted;
        try
        {
            trusted = [.. TrustedRegistryEntry.ParseList(hostTrustedJson), .. TrustedRegistryEntry.ParseList(sessionTrustedJson)];
        }
        catch (FormatException e)
        {
            return PageReport.Problem($"trusted.json: {e.Message}").ToJsonString();
        }
        var verifier = new CredentialVerifier(new JsonRpcTrustedRegistries(Http, trusted));
        var bytes = Encoding.UTF8.GetBytes(credentialJson);
        var report = await verifier.VerifyAsync(bytes);
        return PageReport.Of(report, bytes, trusted).ToJsonString();
    }
}
