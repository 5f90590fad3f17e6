using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Registry.Api.Security;

/// <summary>
/// Who a request comes from, for rate limits and logs: the connection's address, or, when the
/// connection comes from a configured reverse proxy (REGISTRY_TRUSTED_PROXIES), the address that
/// proxy put last in <c>X-Forwarded-For</c>. Without the setting no forwarded address is believed,
/// since any client could write one.
/// </summary>
public static class ClientAddresses
{
    /// <summary>The client's address as a rate limit's partition key.</summary>
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Parses a comma-separated list of addresses and networks (<c>10.0.0.2</c>, <c>10.0.0.0/8</c>, <c>fd00::/8</c>), or returns null naming the bad item.</summary>
    public static IReadOnlyList<System.Net.IPNetwork>? TryParseProxies(string text, out string? bad)
    {
        var networks = new List<System.Net.IPNetwork>();
        bad = null;
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (IPAddress.TryParse(item, out var address) && !item.Contains('/'))
                networks.Add(new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8));
            else if (System.Net.IPNetwork.TryParse(item, out var network)) networks.Add(network);
            else
            {
                bad = item;
                return null;
            }
        }
        return networks;
    }

    /// <summary>Takes the client's address from <c>X-Forwarded-For</c> on connections from the trusted proxies alone; does nothing without any.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app, IReadOnlyList<System.Net.IPNetwork> proxies)
    {
        if (proxies.Count == 0) return app;
        var forwarding = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = 1 };
        // The defaults trust loopback; only what the operator named is trusted.
        forwarding.KnownProxies.Clear();
        forwarding.KnownIPNetworks.Clear();
        foreach (var network in proxies) forwarding.KnownIPNetworks.Add(network);
        return app.UseForwardedHeaders(forwarding);
    }
}
