using System.Text.Json;
using System.Text.Json.Nodes;

namespace Registry.Offers;

/// <summary>
/// The links of an offer (docs/STANDARDS.md, "Delivery into a wallet"): its VC API exchange URL,
/// <c>{origin}/exchanges/{id}</c>, and the Learner Credential Wallet's link to it, which names the exchange in a VC API
/// request's <c>protocols.vcapi</c>. The registry makes them; the verification page reads either back to show the
/// offer's QR code.
/// </summary>
public static class OfferLink
{
    public const string ExchangePath = "/exchanges/";

    /// <summary>The Learner Credential Wallet's universal link, which opens the app with a VC API request.</summary>
    public const string WalletLink = "https://lcw.app/mobile?request=";

    /// <summary>The wallet's link to the exchange at <paramref name="exchangeUrl"/>, its origin the request's <c>credentialRequestOrigin</c>.</summary>
    public static string DeepLink(Uri exchangeUrl) => WalletLink + Uri.EscapeDataString(new JsonObject
    {
        ["credentialRequestOrigin"] = exchangeUrl.GetLeftPart(UriPartial.Authority),
        ["protocols"] = new JsonObject { ["vcapi"] = exchangeUrl.ToString() },
    }.ToJsonString());

    /// <summary>
    /// The exchange URL an offer's link names: the link is the exchange URL itself (<c>http(s)://host/exchanges/</c> and 32
    /// hex digits) or the wallet's link to one. Null, with the reason, for any other text.
    /// </summary>
    public static Uri? ExchangeOf(string link, out string? reason)
    {
        link = link.Trim();
        if (link.StartsWith(WalletLink, StringComparison.Ordinal))
        {
            JsonNode? request;
            try
            {
                request = JsonNode.Parse(Uri.UnescapeDataString(link[WalletLink.Length..]));
            }
            catch (JsonException)
            {
                reason = "The wallet link's request is not JSON.";
                return null;
            }
            if (request?["protocols"]?["vcapi"] is not JsonValue vcapi || !vcapi.TryGetValue<string>(out var named))
            {
                reason = "The wallet link's request names no exchange (protocols.vcapi).";
                return null;
            }
            link = named;
        }
        if (!Uri.TryCreate(link, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(url.Query)
            || !string.IsNullOrEmpty(url.Fragment) || !url.AbsolutePath.StartsWith(ExchangePath, StringComparison.Ordinal)
            || !IsOfferId(url.AbsolutePath[ExchangePath.Length..]))
        {
            reason = $"Not an offer's link: an offer's link is a registry's {ExchangePath}… address (32 hex digits), or the wallet link the registry gave with it.";
            return null;
        }
        reason = null;
        return url;
    }

    private static bool IsOfferId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);
}
