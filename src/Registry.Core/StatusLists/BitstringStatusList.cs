using System.Buffers.Text;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Registry.Credentials;

namespace Registry.StatusLists;

/// <summary>
/// The W3C Bitstring Status List (1.0) of one issuer's list: <see cref="StatusListEntry.ListSize"/> bits,
/// bit 0 the most significant bit of the first byte, a set bit meaning revoked. Its <c>encodedList</c> is the
/// multibase base64url (prefix <c>u</c>, no padding) of the GZIP of the bits. Pure: the registry decides
/// which bits are set (from the chain), this only lays them out and reads them back.
/// </summary>
public static class BitstringStatusList
{
    public const string CredentialType = "BitstringStatusListCredential";
    public const string ListType = "BitstringStatusList";
    public const int Bytes = StatusListEntry.ListSize / 8;
    private const char Base64UrlPrefix = 'u';

    /// <summary>The bitstring with the bits at <paramref name="positions"/> set.</summary>
    public static byte[] Bits(IEnumerable<int> positions)
    {
        var bits = new byte[Bytes];
        foreach (var position in positions)
        {
            if ((uint)position >= StatusListEntry.ListSize)
                throw new ArgumentOutOfRangeException(nameof(positions), position, $"A position is from 0 to {StatusListEntry.ListSize - 1}.");
            bits[position >> 3] |= (byte)(0x80 >> (position & 7));
        }
        return bits;
    }

    public static bool IsSet(ReadOnlySpan<byte> bits, int position) => (bits[position >> 3] & (0x80 >> (position & 7))) != 0;

    /// <summary>The <c>encodedList</c> of a bitstring: multibase base64url of its GZIP.</summary>
    public static string Encode(ReadOnlySpan<byte> bits)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(bits);
        return Base64UrlPrefix + Base64Url.EncodeToString(compressed.ToArray());
    }

    /// <summary>
    /// Reads an <c>encodedList</c> back to its bits; false, with the reason, for anything but the multibase
    /// base64url GZIP of at least <paramref name="minimumBits"/> bits. Decompresses at most a little past
    /// what a list of 16 million entries needs, so a small hostile input cannot take the memory.
    /// </summary>
    public static bool TryDecode(string? encodedList, out byte[] bits, out string? error, int minimumBits = StatusListEntry.ListSize)
    {
        const int mostBytes = 2 << 20;
        bits = [];
        if (string.IsNullOrEmpty(encodedList) || encodedList[0] != Base64UrlPrefix)
        {
            error = "encodedList is not multibase base64url (it must start with 'u')";
            return false;
        }
        byte[] compressed;
        try
        {
            compressed = Base64Url.DecodeFromChars(encodedList.AsSpan(1));
        }
        catch (FormatException)
        {
            error = "encodedList is not base64url";
            return false;
        }
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > mostBytes)
                {
                    error = $"encodedList holds more than {mostBytes} bytes";
                    return false;
                }
            }
            bits = output.ToArray();
        }
        catch (InvalidDataException)
        {
            error = "encodedList is not GZIP";
            return false;
        }
        if (bits.Length * 8L < minimumBits)
        {
            error = $"encodedList holds {bits.Length * 8L} bits, fewer than {minimumBits}";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>
    /// The unsigned <c>BitstringStatusListCredential</c> (VC 2.0) of a list: its URL as <c>id</c>, the issuer's
    /// DID, the revocation purpose and the encoded bits. The issuer signs it next.
    /// </summary>
    public static JsonObject Credential(string url, string issuer, DateTimeOffset validFrom, ReadOnlySpan<byte> bits) => new()
    {
        ["@context"] = new JsonArray(CredentialValidator.VcV2Context),
        ["id"] = url,
        ["type"] = new JsonArray("VerifiableCredential", CredentialType),
        ["issuer"] = issuer,
        ["validFrom"] = XsdDateTime.Format(validFrom),
        ["credentialSubject"] = new JsonObject
        {
            ["id"] = $"{url}#list",
            ["type"] = ListType,
            ["statusPurpose"] = StatusListEntry.Purpose,
            ["encodedList"] = Encode(bits),
        },
    };
}
