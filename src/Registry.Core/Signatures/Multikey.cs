namespace Registry.Signatures;

/// <summary>
/// Multikey encodings of Ed25519 keys (Controlled Identifiers 1.0, section 2.2.2): the multicodec
/// header (<c>0xed 0x01</c> for a public key, <c>0x80 0x26</c> for a private key), the 32 key bytes,
/// all in base58btc behind the multibase prefix <c>z</c>. A public key so written starts <c>z6Mk</c>.
/// </summary>
public static class Multikey
{
    private static ReadOnlySpan<byte> PublicHeader => [0xed, 0x01];
    private static ReadOnlySpan<byte> PrivateHeader => [0x80, 0x26];

    public static string EncodePublicKey(ReadOnlySpan<byte> publicKey) => Encode(PublicHeader, publicKey, Ed25519Keys.PublicKeyBytes);

    public static string EncodePrivateKey(ReadOnlySpan<byte> privateKey) => Encode(PrivateHeader, privateKey, Ed25519Keys.PrivateKeyBytes);

    /// <summary>Reads a <c>publicKeyMultibase</c>; false with the reason when it is not an Ed25519 public key.</summary>
    public static bool TryDecodePublicKey(string? multibase, out byte[] publicKey, out string error) =>
        TryDecode(multibase, PublicHeader, "public", out publicKey, out error);

    /// <summary>Reads a <c>secretKeyMultibase</c> (or the vectors' <c>privateKeyMultibase</c>).</summary>
    public static bool TryDecodePrivateKey(string? multibase, out byte[] privateKey, out string error) =>
        TryDecode(multibase, PrivateHeader, "private", out privateKey, out error);

    /// <summary>Multibase base58btc: <c>z</c> then the bytes in base58btc, as <c>proofValue</c> holds a signature.</summary>
    public static string EncodeBase58Btc(ReadOnlySpan<byte> bytes) => "z" + Base58Btc.Encode(bytes);

    public static bool TryDecodeBase58Btc(string? multibase, out byte[] bytes, out string error)
    {
        bytes = [];
        if (string.IsNullOrEmpty(multibase) || multibase[0] != 'z')
        {
            error = "not multibase base58btc: it must start with 'z'";
            return false;
        }
        if (!Base58Btc.TryDecode(multibase.AsSpan(1), out bytes))
        {
            error = "a character outside the base58btc alphabet";
            return false;
        }
        error = "";
        return true;
    }

    private static string Encode(ReadOnlySpan<byte> header, ReadOnlySpan<byte> key, int keyBytes)
    {
        if (key.Length != keyBytes)
            throw new ArgumentException($"An Ed25519 key has {keyBytes} bytes, not {key.Length}.", nameof(key));
        Span<byte> bytes = stackalloc byte[header.Length + key.Length];
        header.CopyTo(bytes);
        key.CopyTo(bytes[header.Length..]);
        return EncodeBase58Btc(bytes);
    }

    private static bool TryDecode(string? multibase, ReadOnlySpan<byte> header, string kind, out byte[] key, out string error)
    {
        key = [];
        if (!TryDecodeBase58Btc(multibase, out var bytes, out error))
            return false;
        if (bytes.Length < header.Length || !bytes.AsSpan(0, header.Length).SequenceEqual(header))
        {
            error = $"not an Ed25519 {kind} key: its multicodec header is not 0x{Convert.ToHexStringLower(header)}";
            return false;
        }
        if (bytes.Length != header.Length + 32)
        {
            error = $"an Ed25519 {kind} key has 32 bytes, this one {bytes.Length - header.Length}";
            return false;
        }
        key = bytes[header.Length..];
        return true;
    }
}
