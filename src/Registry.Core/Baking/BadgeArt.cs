using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Registry.Credentials;
using static Registry.Credentials.CredentialClaims;

namespace Registry.Baking;

/// <summary>
/// A portable credential as a badge image with the credential baked in. The image is the issuer's own
/// (<c>credentialSubject.achievement.image</c>, when it is a PNG or SVG <c>data:</c> URI that can be used),
/// or a default drawn here: a medallion with the achievement's title, the issuer and the date.
/// </summary>
public static class BadgeArt
{
    public const int Size = 512;

    private static readonly JsonSerializerOptions BakedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The credential as one line of JSON, as it is baked.</summary>
    public static string Json(JsonObject portable) => portable.ToJsonString(BakedJson);

    public static byte[] Bake(BadgeFormat format, JsonObject portable)
    {
        var labels = BadgeLabels.Of(portable);
        var image = format == BadgeFormat.Png ? IssuerPng(labels.Image) ?? DrawPng(labels) : IssuerSvg(labels.Image) ?? DrawSvg(labels);
        return BakedImage.Bake(format, image, Json(portable));
    }

    /// <summary>The issuer's PNG, when its image is a PNG data: URI that reads cleanly.</summary>
    private static byte[]? IssuerPng(string? uri) =>
        DataUri(uri, "image/png") is { } png && BakedPng.Chunks(png).Chunks is not null ? png : null;

    /// <summary>The issuer's SVG, or its PNG inside an SVG, when either is a data: URI that reads cleanly.</summary>
    private static byte[]? IssuerSvg(string? uri)
    {
        if (DataUri(uri, "image/svg+xml") is { } svg)
        {
            try
            {
                BakedSvg.Bake(svg, "{}");
                return svg;
            }
            catch (Exception e) when (e is System.Xml.XmlException or FormatException)
            {
                return null;
            }
        }
        if (IssuerPng(uri) is null) return null;
        XNamespace ns = "http://www.w3.org/2000/svg";
        return Encoding.UTF8.GetBytes(new XElement(ns + "svg",
            new XAttribute("width", Size), new XAttribute("height", Size), new XAttribute("viewBox", $"0 0 {Size} {Size}"),
            new XElement(ns + "image", new XAttribute("href", uri!), new XAttribute("width", Size), new XAttribute("height", Size))).ToString(SaveOptions.DisableFormatting));
    }

    /// <summary>The bytes of a <c>data:</c> URI of <paramref name="mediaType"/>, base64 or percent-encoded; null for anything else.</summary>
    private static byte[]? DataUri(string? uri, string mediaType)
    {
        if (uri is null || !uri.StartsWith("data:" + mediaType, StringComparison.OrdinalIgnoreCase)) return null;
        var comma = uri.IndexOf(',');
        if (comma < 0) return null;
        var parameters = uri[("data:".Length + mediaType.Length)..comma];
        if (parameters.Length > 0 && parameters[0] != ';') return null;
        var data = uri[(comma + 1)..];
        try
        {
            return parameters.EndsWith(";base64", StringComparison.OrdinalIgnoreCase)
                ? Convert.FromBase64String(data)
                : Encoding.UTF8.GetBytes(Uri.UnescapeDataString(data));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // ---- the default badge ----

    private const string Paper = "#f6f8fa", Ring = "#0969da", Ink = "#1f2328", Muted = "#5f6368", White = "#ffffff";

    public static byte[] DrawSvg(BadgeLabels labels)
    {
        XNamespace ns = "http://www.w3.org/2000/svg";
        var half = Size / 2;
        XElement Text(string text, int y, int size, string color, string weight = "normal") => new(ns + "text",
            new XAttribute("x", half), new XAttribute("y", y), new XAttribute("font-size", size), new XAttribute("fill", color),
            new XAttribute("font-weight", weight), new XAttribute("text-anchor", "middle"), text);
        var title = Wrap(labels.Title, 22, 3);
        var top = 236 - (title.Count - 1) * 20;
        var svg = new XElement(ns + "svg",
            new XAttribute("width", Size), new XAttribute("height", Size), new XAttribute("viewBox", $"0 0 {Size} {Size}"),
            new XAttribute("font-family", "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"),
            new XAttribute("role", "img"), new XAttribute("aria-label", $"{labels.Title}, {labels.Issuer}, {labels.Date}"),
            new XElement(ns + "rect", new XAttribute("width", Size), new XAttribute("height", Size), new XAttribute("fill", Paper)),
            new XElement(ns + "circle", new XAttribute("cx", half), new XAttribute("cy", half), new XAttribute("r", 240), new XAttribute("fill", Ring)),
            new XElement(ns + "circle", new XAttribute("cx", half), new XAttribute("cy", half), new XAttribute("r", 222), new XAttribute("fill", White)),
            title.Select((line, i) => Text(line, top + i * 40, 34, Ink, "bold")),
            Text(Truncate(labels.Issuer, 32), top + title.Count * 40 + 24, 22, Muted),
            Text(labels.Date, top + title.Count * 40 + 58, 22, Muted));
        return Encoding.UTF8.GetBytes(svg.ToString(SaveOptions.DisableFormatting));
    }

    public static byte[] DrawPng(BadgeLabels labels)
    {
        // One byte a pixel, indices into the palette below.
        var pixels = new byte[Size * Size];
        const byte paper = 0, ring = 1, ink = 2, muted = 3, white = 4;
        var half = Size / 2.0 - 0.5;
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
            {
                var d = Math.Sqrt((x - half) * (x - half) + (y - half) * (y - half));
                pixels[y * Size + x] = d <= 222 ? white : d <= 240 ? ring : paper;
            }

        var title = Wrap(Ascii(labels.Title), 19, 3);
        var top = 218 - (title.Count - 1) * 17;
        for (var i = 0; i < title.Count; i++) DrawText(pixels, title[i], top + i * 34, 3, ink);
        DrawText(pixels, Truncate(Ascii(labels.Issuer), 30), top + title.Count * 34 + 12, 2, muted);
        DrawText(pixels, labels.Date, top + title.Count * 34 + 40, 2, muted);
        return EncodePng(pixels, [Paper, Ring, Ink, Muted, White]);
    }

    private static void DrawText(byte[] pixels, string text, int top, int scale, byte color)
    {
        var advance = (PixelFont.Width + 1) * scale;
        var left = (Size - text.Length * advance + scale) / 2;
        for (var i = 0; i < text.Length; i++)
            for (var gy = 0; gy < PixelFont.Height; gy++)
                for (var gx = 0; gx < PixelFont.Width; gx++)
                {
                    if (!PixelFont.Ink(text[i], gx, gy)) continue;
                    for (var sy = 0; sy < scale; sy++)
                        for (var sx = 0; sx < scale; sx++)
                        {
                            var x = left + i * advance + gx * scale + sx;
                            var y = top + gy * scale + sy;
                            if (x is >= 0 and < Size && y is >= 0 and < Size) pixels[y * Size + x] = color;
                        }
                }
    }

    /// <summary>A palette PNG (colour type 3, 8 bits) of the square <paramref name="pixels"/>.</summary>
    private static byte[] EncodePng(byte[] pixels, string[] palette)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, Size);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), Size);
        header[8] = 8; // bit depth
        header[9] = 3; // indexed colour
        BakedPng.WriteChunk(output, "IHDR", header);
        BakedPng.WriteChunk(output, "PLTE", palette.SelectMany(c => Convert.FromHexString(c[1..])).ToArray());
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            for (var y = 0; y < Size; y++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(pixels, y * Size, Size);
            }
        BakedPng.WriteChunk(output, "IDAT", compressed.ToArray());
        BakedPng.WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>The text in ASCII for the pixel font: accents dropped, anything else a '?'.</summary>
    private static string Ascii(string text)
    {
        string decomposed;
        try
        {
            decomposed = text.Normalize(NormalizationForm.FormD);
        }
        catch (PlatformNotSupportedException)
        {
            // Without Unicode data (the page's invariant mode), accented letters draw as '?' too.
            decomposed = text;
        }
        var plain = new StringBuilder();
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            plain.Append(c is >= ' ' and <= '~' ? c : '?');
        }
        return plain.ToString();
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 3)].TrimEnd() + "...";

    /// <summary>Words into at most <paramref name="lines"/> lines of <paramref name="width"/> characters; the last one cut short with "..." if need be.</summary>
    private static List<string> Wrap(string text, int width, int lines)
    {
        var result = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var piece = word.Length > width ? word[..(width - 3)] + "..." : word;
            if (line.Length > 0 && line.Length + 1 + piece.Length > width)
            {
                result.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(piece);
        }
        if (line.Length > 0) result.Add(line.ToString());
        if (result.Count > lines)
        {
            result = result.Take(lines).ToList();
            var last = result[^1];
            result[^1] = (last.Length + 3 > width ? last[..(width - 3)] : last) + "...";
        }
        return result.Count > 0 ? result : [""];
    }
}

/// <summary>What a default badge shows, and the issuer's image URI if it gave one.</summary>
public sealed record BadgeLabels(string Title, string Issuer, string Date, string? Image)
{
    public static BadgeLabels Of(JsonObject portable)
    {
        var image = Field(CredentialClaims.Achievement(portable), "image");
        var proof = portable["proof"] is JsonArray proofs ? proofs.FirstOrDefault(p => Field(p, "created") is not null) : portable["proof"];
        var date = Text(portable["validFrom"]) ?? Text(Field(proof, "created"));
        return new BadgeLabels(
            CredentialClaims.Title(portable) ?? "Credential",
            CredentialClaims.IssuerName(portable) ?? "",
            date is { Length: >= 10 } ? date[..10] : date ?? "",
            Text(image) ?? Text(Field(image, "id")));
    }
}
