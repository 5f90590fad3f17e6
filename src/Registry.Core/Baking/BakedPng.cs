using System.Buffers.Binary;
using System.Text;

namespace Registry.Baking;

/// <summary>
/// PNG baking: the credential in one <c>iTXt</c> chunk with the keyword <c>openbadgecredential</c>,
/// uncompressed, before <c>IEND</c>. Reading walks the chunks with their lengths and CRCs checked and
/// their number bounded; a compressed credential chunk is refused rather than inflated.
/// </summary>
public static class BakedPng
{
    /// <summary>The most chunks read from one image.</summary>
    public const int MaxChunks = 10_000;

    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool HasSignature(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Signature);

    /// <summary>One chunk: its type and where its data lies in the image.</summary>
    internal readonly record struct Chunk(string Type, int Start, int Length)
    {
        /// <summary>The whole chunk: length, type, data and CRC.</summary>
        public Range Whole => (Start - 8)..(Start + Length + 4);
    }

    /// <summary>The image's chunks up to <c>IEND</c>, or the reason it is not a PNG this reader accepts.</summary>
    internal static (List<Chunk>? Chunks, string? Problem) Chunks(ReadOnlySpan<byte> png)
    {
        if (!HasSignature(png)) return (null, "The image is not a PNG: it does not start with the PNG signature.");
        var chunks = new List<Chunk>();
        var at = Signature.Length;
        while (true)
        {
            if (chunks.Count >= MaxChunks) return (null, $"The PNG has more than {MaxChunks:N0} chunks.");
            if (png.Length - at < 12) return (null, "The PNG is truncated: it ends before its IEND chunk.");
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
            if (length > int.MaxValue || length > png.Length - at - 12)
                return (null, $"The PNG is damaged: chunk {chunks.Count + 1} claims {length:N0} bytes, more than the image has left.");
            var type = png.Slice(at + 4, 4);
            foreach (var c in type)
                if (!char.IsAsciiLetter((char)c)) return (null, $"The PNG is damaged: chunk {chunks.Count + 1} has no valid type.");
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png[(at + 8 + (int)length)..]);
            if (crc != Crc32.Of(png.Slice(at + 4, 4 + (int)length)))
                return (null, $"The PNG is damaged: the CRC of chunk {chunks.Count + 1} ({Encoding.ASCII.GetString(type)}) does not match.");
            var chunk = new Chunk(Encoding.ASCII.GetString(type), at + 8, (int)length);
            chunks.Add(chunk);
            at += 12 + (int)length;
            if (chunk.Type == "IEND") return (chunks, null);
        }
    }

    public static BakedReading Extract(ReadOnlySpan<byte> png)
    {
        var (chunks, problem) = Chunks(png);
        if (chunks is null) return BakedReading.Refuse(problem!);
        var found = new List<byte[]>();
        foreach (var chunk in chunks.Where(c => c.Type == "iTXt"))
        {
            var data = png.Slice(chunk.Start, chunk.Length);
            var text = ReadCredentialText(data, out var refusal);
            if (refusal is not null) return BakedReading.Refuse(refusal);
            if (text is not null) found.Add(text);
        }
        return BakedImage.Count(found, $"iTXt chunk with the keyword {BakedImage.PngKeyword}");
    }

    /// <summary>
    /// An iTXt chunk's text when its keyword is <c>openbadgecredential</c>; null for any other keyword.
    /// Layout: keyword, 0, compression flag, compression method, language tag, 0, translated keyword, 0, text.
    /// </summary>
    private static byte[]? ReadCredentialText(ReadOnlySpan<byte> data, out string? refusal)
    {
        refusal = null;
        var end = data.IndexOf((byte)0);
        if (end < 0 || !data[..end].SequenceEqual(Encoding.ASCII.GetBytes(BakedImage.PngKeyword))) return null;
        var rest = data[(end + 1)..];
        if (rest.Length < 2)
        {
            refusal = "The PNG's openbadgecredential chunk is truncated.";
            return null;
        }
        if (rest[0] != 0)
        {
            refusal = "The PNG's openbadgecredential chunk is compressed; Open Badges 3.0 bakes the credential uncompressed, and compressed text from an image is not inflated here.";
            return null;
        }
        rest = rest[2..];
        for (var field = 0; field < 2; field++)
        {
            var zero = rest.IndexOf((byte)0);
            if (zero < 0)
            {
                refusal = "The PNG's openbadgecredential chunk is malformed: its language tag or translated keyword is not terminated.";
                return null;
            }
            rest = rest[(zero + 1)..];
        }
        return rest.ToArray();
    }

    /// <summary>The image with <paramref name="credentialJson"/> in one iTXt chunk before IEND, any credential chunk it had removed.</summary>
    public static byte[] Bake(byte[] png, string credentialJson)
    {
        var (chunks, problem) = Chunks(png);
        if (chunks is null) throw new FormatException(problem);
        using var output = new MemoryStream(png.Length + credentialJson.Length + 64);
        output.Write(Signature);
        foreach (var chunk in chunks)
        {
            if (chunk.Type == "iTXt" && ReadCredentialText(png.AsSpan(chunk.Start, chunk.Length), out _) is not null) continue;
            if (chunk.Type == "IEND") WriteChunk(output, "iTXt", CredentialChunk(credentialJson));
            output.Write(png.AsSpan()[chunk.Whole]);
        }
        return output.ToArray();
    }

    private static byte[] CredentialChunk(string credentialJson)
    {
        var text = Encoding.UTF8.GetBytes(credentialJson);
        var keyword = Encoding.ASCII.GetBytes(BakedImage.PngKeyword);
        // keyword 0, uncompressed (0), method 0, empty language tag 0, empty translated keyword 0, text.
        return [.. keyword, 0, 0, 0, 0, 0, .. text];
    }

    internal static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        output.Write(header);
        output.Write(data);
        var crc = Crc32.Of(header[4..], data);
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        output.Write(tail);
    }
}

/// <summary>CRC-32 as PNG uses it (ISO 3309, polynomial 0xEDB88320, reflected).</summary>
internal static class Crc32
{
    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    public static uint Of(ReadOnlySpan<byte> data) => Of(data, []);

    public static uint Of(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in first) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        foreach (var b in second) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
