using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Baking;

namespace Registry.Tests.Portfolio;

/// <summary>
/// Open Badges 3.0 baking, and reading a baked image from anyone: one credential in, the same credential
/// out; two or none, damaged, compressed, oversized or hostile images refused with a reason and never a crash.
/// </summary>
public sealed class BakingTests
{
    private static JsonObject Credential(string name = "Introduction to Solidity") => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
        ["id"] = "urn:uuid:7d7a3c56-0b5c-4d0b-9a55-8d1b4f1f2a01",
        ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
        ["issuer"] = new JsonObject { ["id"] = "did:example:issuer", ["name"] = "Open University of Testing" },
        ["validFrom"] = "2026-11-29T10:00:00Z",
        ["credentialSubject"] = new JsonObject { ["achievement"] = new JsonObject { ["name"] = name } },
    };

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Fact]
    public void A_default_png_carries_the_credential_in_one_uncompressed_itxt_chunk_before_iend()
    {
        var credential = Credential();
        var png = BadgeArt.Bake(BadgeFormat.Png, credential);

        var chunks = Chunks(png);
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        var itxt = Assert.Single(chunks, c => c.Type == "iTXt");
        Assert.Equal("iTXt", chunks[^2].Type);
        Assert.StartsWith("openbadgecredential\0\0\0\0\0", Encoding.Latin1.GetString(itxt.Data));
        Assert.Equal(512, BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data));

        var read = BakedImage.Extract(BadgeFormat.Png, png);
        Assert.Null(read.Refusal);
        Assert.True(JsonNode.DeepEquals(credential, JsonNode.Parse(read.Credential)));
    }

    [Fact]
    public void Baking_again_replaces_the_credential_and_never_holds_two()
    {
        var png = BadgeArt.Bake(BadgeFormat.Png, Credential("First"));
        var again = BakedImage.Bake(BadgeFormat.Png, png, Credential("Second").ToJsonString());
        Assert.Contains("Second", Text(BakedImage.Extract(BadgeFormat.Png, again).Credential!));
        var svg = BadgeArt.Bake(BadgeFormat.Svg, Credential("First"));
        var svgAgain = BakedImage.Bake(BadgeFormat.Svg, svg, Credential("Second").ToJsonString());
        Assert.Contains("Second", Text(BakedImage.Extract(BadgeFormat.Svg, svgAgain).Credential!));
    }

    [Fact]
    public void A_default_svg_shows_title_issuer_and_date_and_holds_the_credential_in_the_ob3_namespace()
    {
        var svg = Text(BadgeArt.Bake(BadgeFormat.Svg, Credential("Schweißen & <Löten>")));
        Assert.Contains("xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\"", svg);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(svg, "<openbadges:credential>"));
        Assert.Contains("<![CDATA[", svg);
        Assert.Contains("Schweißen &amp; &lt;Löten&gt;", svg);
        Assert.Contains("Open University of Testing", svg);
        Assert.Contains("2026-11-29", svg);
    }

    [Fact]
    public void Json_holding_the_end_of_cdata_survives_baking_into_svg()
    {
        var credential = Credential("Arrays ]]> and <![CDATA[ tricks ]]]]>");
        var svg = BadgeArt.Bake(BadgeFormat.Svg, credential);
        var read = BakedImage.Extract(BadgeFormat.Svg, svg);
        Assert.Null(read.Refusal);
        Assert.True(JsonNode.DeepEquals(credential, JsonNode.Parse(read.Credential)));
    }

    [Fact]
    public void The_issuers_own_png_image_is_used_and_its_pixels_kept()
    {
        var issuerPng = BadgeArt.DrawPng(new BadgeLabels("Issuer's art", "Somewhere", "2020-01-01", null));
        var credential = Credential();
        credential["credentialSubject"]!["achievement"]!["image"] = new JsonObject { ["id"] = "data:image/png;base64," + Convert.ToBase64String(issuerPng), ["type"] = "Image" };
        var png = BadgeArt.Bake(BadgeFormat.Png, credential);
        Assert.Equal(Chunks(issuerPng).Single(c => c.Type == "IDAT").Data, Chunks(png).Single(c => c.Type == "IDAT").Data);
        // As SVG, the issuer's PNG is shown inside it.
        Assert.Contains("<image href=\"data:image/png;base64,", Text(BadgeArt.Bake(BadgeFormat.Svg, credential)));
    }

    [Fact]
    public void The_issuers_own_svg_image_is_used_and_a_broken_one_replaced_by_the_default()
    {
        var credential = Credential();
        var achievement = credential["credentialSubject"]!["achievement"]!;
        achievement["image"] = "data:image/svg+xml," + Uri.EscapeDataString("<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"7\" id=\"issuers-own\"/></svg>");
        Assert.Contains("issuers-own", Text(BadgeArt.Bake(BadgeFormat.Svg, credential)));
        achievement["image"] = "data:image/svg+xml,<svg><unclosed>";
        var fallback = Text(BadgeArt.Bake(BadgeFormat.Svg, credential));
        Assert.Contains("Introduction to Solidity", fallback);
        achievement["image"] = "https://example.edu/badge.png";
        Assert.Null(BakedImage.Extract(BadgeFormat.Png, BadgeArt.Bake(BadgeFormat.Png, credential)).Refusal);
    }

    [Fact]
    public void An_image_with_no_credential_is_refused_saying_so()
    {
        var plain = BadgeArt.DrawPng(new BadgeLabels("A", "B", "C", null));
        Assert.Contains("no baked credential", BakedImage.Extract(BadgeFormat.Png, plain).Refusal);
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"1\"/></svg>"u8.ToArray();
        Assert.Contains("no baked credential", BakedImage.Extract(BadgeFormat.Svg, svg).Refusal);
    }

    [Fact]
    public void An_image_with_two_credentials_is_refused_saying_how_many()
    {
        var png = BadgeArt.Bake(BadgeFormat.Png, Credential());
        var chunks = Chunks(png);
        var itxt = chunks.Single(c => c.Type == "iTXt");
        var two = Rebuild(chunks.SelectMany(c => c.Type == "iTXt" ? [c, itxt] : new[] { c }));
        Assert.Contains("2 baked credentials", BakedImage.Extract(BadgeFormat.Png, two).Refusal);

        var twice = WithCredentialTwice(BadgeArt.Bake(BadgeFormat.Svg, Credential()));
        Assert.Contains("2 baked credentials", BakedImage.Extract(BadgeFormat.Svg, twice).Refusal);
    }

    [Fact]
    public void A_compressed_credential_chunk_is_refused_not_inflated()
    {
        var chunks = Chunks(BadgeArt.Bake(BadgeFormat.Png, Credential()));
        var compressed = chunks.Select(c => c.Type != "iTXt" ? c : c with { Data = [.. "openbadgecredential"u8, 0, 1, 0, 0, 0, 0x78, 0x9c, 1, 2, 3] });
        Assert.Contains("compressed", BakedImage.Extract(BadgeFormat.Png, Rebuild(compressed)).Refusal);
    }

    [Fact]
    public void Damaged_pngs_are_refused_with_a_reason()
    {
        var png = BadgeArt.Bake(BadgeFormat.Png, Credential());
        // A flipped byte in the credential: its chunk's CRC no longer matches.
        var flipped = (byte[])png.Clone();
        flipped[^40] ^= 1;
        Assert.Contains("CRC", BakedImage.Extract(BadgeFormat.Png, flipped).Refusal);
        // Cut short: in the middle of a chunk, or with no IEND.
        Assert.Contains("damaged", BakedImage.Extract(BadgeFormat.Png, png[..(png.Length / 2)]).Refusal);
        Assert.Contains("truncated", BakedImage.Extract(BadgeFormat.Png, png[..^12]).Refusal);
        // A chunk claiming 4 GB.
        var huge = (byte[])png.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(huge.AsSpan(8), 0xFFFFFFF0);
        Assert.Contains("claims", BakedImage.Extract(BadgeFormat.Png, huge).Refusal);
        // Only the signature.
        Assert.NotNull(BakedImage.Extract(BadgeFormat.Png, png[..8]).Refusal);
    }

    [Fact]
    public void A_png_of_more_chunks_than_allowed_is_refused()
    {
        var chunks = Chunks(BadgeArt.DrawPng(new BadgeLabels("A", "B", "C", null)));
        var empty = new Chunk("tEXt", "a\0b"u8.ToArray());
        var many = Rebuild([chunks[0], .. Enumerable.Repeat(empty, BakedPng.MaxChunks), .. chunks.Skip(1)]);
        Assert.Contains("more than", BakedImage.Extract(BadgeFormat.Png, many).Refusal);
    }

    [Fact]
    public void An_image_over_the_size_limit_is_refused_unread()
    {
        var big = new byte[BakedImage.MaxBytes + 1];
        PngSignature.CopyTo(big);
        Assert.Contains("larger than", BakedImage.Extract(BadgeFormat.Png, big).Refusal);
    }

    [Theory]
    // Entity expansion ("billion laughs") and an external entity: no DTD is read at all.
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&b;</svg>")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><openbadges:credential xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">&x;</openbadges:credential></svg>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><openbadges:credential xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">{}")]
    [InlineData("<html><openbadges:credential xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">{}</openbadges:credential></html>")]
    [InlineData("< not xml at all")]
    public void Hostile_or_broken_svgs_are_refused_with_a_reason(string svg)
    {
        var read = BakedImage.Extract(BadgeFormat.Svg, Encoding.UTF8.GetBytes(svg));
        Assert.Null(read.Credential);
        Assert.False(string.IsNullOrWhiteSpace(read.Refusal));
    }

    [Fact]
    public void A_credential_element_in_another_namespace_does_not_count()
    {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:ob=\"https://w3id.org/openbadges\"><ob:credential>{}</ob:credential></svg>"u8.ToArray();
        Assert.Contains("no baked credential", BakedImage.Extract(BadgeFormat.Svg, svg).Refusal);
    }

    [Fact]
    public void Sniffing_tells_png_and_svg_from_json()
    {
        Assert.Equal(BadgeFormat.Png, BakedImage.Sniff(BadgeArt.DrawPng(new BadgeLabels("A", "B", "C", null))));
        Assert.Equal(BadgeFormat.Svg, BakedImage.Sniff("\uFEFF\n  <?xml version=\"1.0\"?><svg/>"u8));
        Assert.Null(BakedImage.Sniff("  {\"type\": []}"u8));
        Assert.Null(BakedImage.Sniff([]));
    }

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A baked SVG with its credential element repeated, as a careless or hostile tool might leave it.</summary>
    internal static byte[] WithCredentialTwice(byte[] svg)
    {
        var text = Text(svg);
        var start = text.IndexOf("<openbadges:credential>", StringComparison.Ordinal);
        var end = text.IndexOf("</openbadges:credential>", StringComparison.Ordinal) + "</openbadges:credential>".Length;
        return Encoding.UTF8.GetBytes(text.Insert(end, text[start..end]));
    }

    private sealed record Chunk(string Type, byte[] Data);

    private static List<Chunk> Chunks(byte[] png)
    {
        var chunks = new List<Chunk>();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            chunks.Add(new Chunk(Encoding.ASCII.GetString(png, at + 4, 4), png[(at + 8)..(at + 8 + length)]));
            at += 12 + length;
        }
        return chunks;
    }

    private static byte[] Rebuild(IEnumerable<Chunk> chunks)
    {
        using var output = new MemoryStream();
        output.Write(PngSignature);
        foreach (var chunk in chunks) BakedPng.WriteChunk(output, chunk.Type, chunk.Data);
        return output.ToArray();
    }
}
