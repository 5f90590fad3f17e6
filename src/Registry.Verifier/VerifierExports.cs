using System.Runtime.InteropServices.JavaScript;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Baking;
using Registry.Credentials;
using Registry.Offers;
using Registry.Portfolio;
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

    /// <summary>
    /// Verifies <paramref name="credentialJson"/>, a credential or a presentation (a portfolio); never throws for a
    /// bad document or a bad list. A presentation refused as a whole answers <c>{problem}</c>.
    /// </summary>
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
        var verifier = new PortfolioVerifier(new CredentialVerifier(new TrustedRegistries(Http, trusted)), onThreads: false);
        var bytes = Encoding.UTF8.GetBytes(credentialJson);
        return (await verifier.VerifyAsync(bytes) switch
        {
            DocumentVerdict.Credential single => PageReport.Of(single.Report, bytes, trusted),
            DocumentVerdict.Portfolio portfolio => PageReport.Of(portfolio.Report, trusted),
            DocumentVerdict.Refused refused => PageReport.Problem(refused.Reason),
            _ => PageReport.Problem("A verdict of no known kind."),
        }).ToJsonString();
    }

    /// <summary>
    /// The JSON baked into a badge image (<paramref name="imageBase64"/>, PNG or SVG): <c>{json}</c>, or
    /// <c>{problem}</c> for an image without exactly one credential, or a file that is no image (then <c>{}</c>).
    /// </summary>
    [JSExport]
    public static string ReadBadge(string imageBase64)
    {
        byte[] image;
        try
        {
            image = Convert.FromBase64String(imageBase64);
        }
        catch (FormatException)
        {
            return PageReport.Problem("The file could not be read.").ToJsonString();
        }
        if (BakedImage.Sniff(image) is not { } format) return "{}";
        var baked = BakedImage.Extract(format, image);
        return (baked.Credential is null ? PageReport.Problem(baked.Refusal!)
            : new JsonObject { ["json"] = Encoding.UTF8.GetString(baked.Credential) }).ToJsonString();
    }

    /// <summary>
    /// One portfolio of the credentials in <paramref name="documentsJson"/> (a JSON array of the files' texts):
    /// <c>{json}</c>, the presentation, or <c>{problem}</c> saying why they cannot travel together.
    /// </summary>
    [JSExport]
    public static string ComposePortfolio(string documentsJson)
    {
        var credentials = new List<JsonObject>();
        try
        {
            var texts = JsonNode.Parse(documentsJson)!.AsArray().Select(t => t!.GetValue<string>()).ToList();
            for (var i = 0; i < texts.Count; i++)
            {
                if (StrictJson.Parse(texts[i]) is not JsonObject credential)
                    return PageReport.Problem($"File {i + 1} is not a credential: it is not a JSON object.").ToJsonString();
                credentials.Add(credential);
            }
        }
        catch (JsonException e)
        {
            return PageReport.Problem($"File {credentials.Count + 1} is not a credential: {e.Message}").ToJsonString();
        }
        var composed = Presentation.Compose(credentials);
        return (composed.Refusal is { } refusal ? PageReport.Problem(refusal)
            : new JsonObject { ["json"] = composed.Presentation!.ToJsonString() }).ToJsonString();
    }

    /// <summary>
    /// An offer of a credential to a wallet, from its link (the exchange URL, or the wallet link the registry gave with it):
    /// <c>{url, deepLink, qr}</c>, the QR code an SVG of <c>deepLink</c> drawn as the registry draws it; <c>{problem}</c> for
    /// a text that is no offer's link.
    /// </summary>
    [JSExport]
    public static string Offer(string link)
    {
        if (OfferLink.ExchangeOf(link, out var reason) is not { } url) return PageReport.Problem(reason!).ToJsonString();
        var deepLink = OfferLink.DeepLink(url);
        return new JsonObject { ["url"] = url.ToString(), ["deepLink"] = deepLink, ["qr"] = OfferQr.Svg(deepLink, moduleSize: 6) }.ToJsonString();
    }

    /// <summary>The credential baked into its badge image, <paramref name="format"/> "png" or "svg", as base64; empty when it cannot be.</summary>
    [JSExport]
    public static string BakeBadge(string credentialJson, string format)
    {
        try
        {
            var credential = StrictJson.ParseObject(Encoding.UTF8.GetBytes(credentialJson));
            return Convert.ToBase64String(BadgeArt.Bake(format == "png" ? BadgeFormat.Png : BadgeFormat.Svg, credential));
        }
        catch (Exception e) when (e is JsonException or FormatException or PlatformNotSupportedException)
        {
            return "";
        }
    }
}
