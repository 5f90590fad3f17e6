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

    /// <summary>The largest credential the page verifies, in bytes: what <c>POST /verify</c> and the CLI read; a share link stops there.</summary>
    [JSExport]
    public static int MaxCredentialBytes() => Registry.Credentials.PortableCredential.MaxBytes;

    /// <summary>Verifies <paramref name="credentialJson"/>; never throws for a bad document or a bad list.</summary>
    [JSExport]
    public static async Task<string> VerifyAsync(string credentialJson, string hostTrustedJson, string sessionTrustedJson)
    {
        IReadOnlyList<TrustedRegistry> trusted;
        try
        {
            // The user's entries come last: they win over the host's (a node of the user's own choosing).
            trusted = [.. TrustedRegistry.ParseJson(hostTrustedJson), .. TrustedRegistry.ParseJson(sessionTrustedJson)];
        }
        catch (FormatException e)
        {
            return PageReport.Problem($"trusted.json: {e.Message}").ToJsonString();
        }
        var verifier = new CredentialVerifier(new TrustedRegistries(Http, trusted));
        var bytes = Encoding.UTF8.GetBytes(credentialJson);
        var report = await verifier.VerifyAsync(bytes);
        return PageReport.Of(report, bytes, trusted).ToJsonString();
    }
}
