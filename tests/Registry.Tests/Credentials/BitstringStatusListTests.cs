using System.IO.Compression;
using Registry.Credentials;
using Registry.StatusLists;

namespace Registry.Tests.Credentials;

/// <summary>The bitstring's layout and encoding as W3C Bitstring Status List 1.0 defines them, read back independently.</summary>
public sealed class BitstringStatusListTests
{
    [Fact]
    public void Bit_zero_is_the_most_significant_bit_of_the_first_byte_and_the_list_is_gzip_in_base64url()
    {
        var bits = BitstringStatusList.Bits([0, 9, StatusListEntry.ListSize - 1]);
        var encoded = BitstringStatusList.Encode(bits);

        Assert.StartsWith("u", encoded);
        Assert.DoesNotContain('=', encoded);
        Assert.DoesNotContain('+', encoded);
        Assert.DoesNotContain('/', encoded);
        // Decoded here with the platform's own base64 and GZIP, not the list's reader.
        var base64 = encoded[1..].Replace('-', '+').Replace('_', '/');
        var compressed = Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        gzip.CopyTo(raw);
        var bytes = raw.ToArray();
        Assert.Equal(16_384, bytes.Length);
        Assert.Equal(0x80, bytes[0]);
        Assert.Equal(0x40, bytes[1]);
        Assert.Equal(0x01, bytes[^1]);
        Assert.Equal(3, bytes.Sum(b => System.Numerics.BitOperations.PopCount(b)));

        Assert.True(BitstringStatusList.TryDecode(encoded, out var decoded, out _));
        Assert.Equal(bits, decoded);
        Assert.True(BitstringStatusList.IsSet(decoded, 9));
        Assert.False(BitstringStatusList.IsSet(decoded, 8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("zabc")]
    [InlineData("u!!!")]
    [InlineData("uAAAA")]
    public void What_is_not_an_encoded_list_is_refused(string encoded) =>
        Assert.False(BitstringStatusList.TryDecode(encoded, out _, out var error) || error is null);

    [Fact]
    public void A_list_shorter_than_the_minimum_and_a_compressed_bomb_are_refused()
    {
        Assert.False(BitstringStatusList.TryDecode(Encode(new byte[1024]), out _, out var shortError));
        Assert.Contains("fewer than", shortError);
        Assert.False(BitstringStatusList.TryDecode(Encode(new byte[64 << 20]), out _, out var bombError));
        Assert.Contains("more than", bombError);
    }

    private static string Encode(byte[] raw)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(raw);
        return "u" + Convert.ToBase64String(compressed.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
