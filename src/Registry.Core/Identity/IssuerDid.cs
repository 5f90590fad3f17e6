using System.Globalization;
using System.Text.RegularExpressions;

namespace Registry.Identity;

/// <summary>
/// An issuer's identifier: <c>did:pkh:eip155:{chainId}:{address}</c> with the address in lowercase hex.
/// </summary>
public sealed partial record IssuerDid(long ChainId, string Address)
{
    public const string Prefix = "did:pkh:eip155:";

    public static IssuerDid For(long chainId, string address) => new(chainId, NormalizeAddress(address));

    public override string ToString() => $"{Prefix}{ChainId.ToString(CultureInfo.InvariantCulture)}:{Address}";

    /// <summary>The verification method the anchor proof names: the account itself.</summary>
    public string VerificationMethod => $"{this}#blockchainAccountId";

    public static bool TryParse(string? text, out IssuerDid did)
    {
        did = null!;
        if (text is null) return false;
        var match = DidPattern().Match(text);
        if (!match.Success) return false;
        if (!long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var chainId) || chainId <= 0)
            return false;
        did = new IssuerDid(chainId, match.Groups[2].Value);
        return true;
    }

    /// <summary>Lowercases a 0x-prefixed 20-byte hex address; throws <see cref="FormatException"/> on anything else.</summary>
    public static string NormalizeAddress(string address)
    {
        if (!IsAddress(address))
            throw new FormatException($"'{address}' is not a 0x-prefixed 20-byte hex address.");
        return address.ToLowerInvariant();
    }

    public static bool IsAddress(string? text) => text is not null && AddressPattern().IsMatch(text);

    [GeneratedRegex("^did:pkh:eip155:([1-9][0-9]{0,17}):(0x[0-9a-f]{40})$", RegexOptions.CultureInvariant)]
    private static partial Regex DidPattern();

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$", RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();
}
