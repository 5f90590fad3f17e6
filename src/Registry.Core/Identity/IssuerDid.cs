using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Registry.Hashing;

namespace Registry.Identity;

/// <summary>
/// An issuer's identifier: <c>did:pkh:eip155:{chainId}:{address}</c>. The registry writes the address in
/// lowercase hex; it reads the EIP-55 checksum case as well (CAIP-10 asks implementers to accept both),
/// and keeps the address lowercase, so two spellings of one account compare equal.
/// </summary>
public sealed partial record IssuerDid(long ChainId, string Address)
{
    public const string Prefix = "did:pkh:eip155:";
    public const string VerificationMethodFragment = "#blockchainAccountId";

    public static IssuerDid For(long chainId, string address) => new(chainId, NormalizeAddress(address));

    public override string ToString() => $"{Prefix}{ChainId.ToString(CultureInfo.InvariantCulture)}:{Address}";

    /// <summary>The verification method the anchor proof names: the account itself.</summary>
    public string VerificationMethod => $"{this}{VerificationMethodFragment}";

    public static bool TryParse(string? text, out IssuerDid did)
    {
        did = null!;
        if (text is null) return false;
        var match = DidPattern().Match(text);
        if (!match.Success || !IsAddress(match.Groups[2].Value)) return false;
        if (!long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var chainId) || chainId <= 0)
            return false;
        did = new IssuerDid(chainId, match.Groups[2].Value.ToLowerInvariant());
        return true;
    }

    /// <summary>
    /// Lowercases a 0x-prefixed 20-byte hex address (lowercase, uppercase or EIP-55 checksum case);
    /// throws <see cref="FormatException"/> on anything else.
    /// </summary>
    public static string NormalizeAddress(string address)
    {
        if (!IsAddress(address))
            throw new FormatException($"'{address}' is not a 0x-prefixed 20-byte hex address (in lowercase, or in EIP-55 checksum case).");
        return address.ToLowerInvariant();
    }

    /// <summary>
    /// A 0x-prefixed 20-byte hex address in one case, or in mixed case that is a correct EIP-55 checksum:
    /// mixed case with a wrong checksum is a mistyped address, and is refused.
    /// </summary>
    public static bool IsAddress(string? text)
    {
        if (text is null || !AddressPattern().IsMatch(text)) return false;
        var hex = text.AsSpan(2);
        var hasLower = hex.ContainsAny(LowerHexLetters);
        var hasUpper = hex.ContainsAny(UpperHexLetters);
        return !(hasLower && hasUpper) || string.Equals(ToChecksumAddress(text), text, StringComparison.Ordinal);
    }

    /// <summary>The EIP-55 checksum form of an address: a hex letter is uppercase where the keccak256 of the lowercase hex has a nibble of 8 or more.</summary>
    public static string ToChecksumAddress(string address)
    {
        if (!AddressPattern().IsMatch(address)) throw new FormatException($"'{address}' is not a 0x-prefixed 20-byte hex address.");
        var lower = address[2..].ToLowerInvariant();
        var hash = Keccak256.Hash(Encoding.ASCII.GetBytes(lower)).ToArray();
        var result = new StringBuilder("0x", 42);
        for (var i = 0; i < lower.Length; i++)
        {
            var nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xF;
            result.Append(nibble >= 8 ? char.ToUpperInvariant(lower[i]) : lower[i]);
        }
        return result.ToString();
    }

    private const string LowerHexLetters = "abcdef";
    private const string UpperHexLetters = "ABCDEF";

    [GeneratedRegex("^did:pkh:eip155:([1-9][0-9]{0,17}):(0x[0-9a-fA-F]{40})$", RegexOptions.CultureInvariant)]
    private static partial Regex DidPattern();

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$", RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();
}
