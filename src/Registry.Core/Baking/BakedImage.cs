using Registry.Credentials;

namespace Registry.Baking;

/// <summary>The two image formats Open Badges 3.0 bakes a credential into.</summary>
public enum BadgeFormat { Png, Svg }

/// <summary>What an image holds: the one credential baked into it, or why it is refused.</summary>
public sealed record BakedReading(byte[]? Credential, string? Refusal)
{
    public static BakedReading Refuse(string reason) => new(null, reason);
}

/// <summary>
/// Reads the credential baked into a badge image (Open Badges 3.0 baking). Images come from anyone, so
/// every read is bounded: the image's size (<see cref="MaxBytes"/>), its PNG chunks, its XML; nothing is
/// decompressed.
/// </summary>
public static class BakedImage
{
    /// <summary>The largest image read: the most a verifier reads of any document.</summary>
    public const int MaxBytes = PortableCredential.MaxBytes;

    /// <summary>The Open Badges 3.0 namespace of the SVG element, and the PNG iTXt keyword.</summary>
    public const string Namespace = "https://purl.imsglobal.org/ob/v3p0";
    public const string PngKeyword = "openbadgecredential";

    /// <summary>The image format of <paramref name="bytes"/> by its first bytes: a PNG signature, or XML text whose root is svg; null for anything else (JSON).</summary>
    public static BadgeFormat? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (BakedPng.HasSignature(bytes)) return BadgeFormat.Png;
        var text = bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes;
        var start = 0;
        while (start < text.Length && text[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') start++;
        return start < text.Length && text[start] == (byte)'<' ? BadgeFormat.Svg : null;
    }

    /// <summary>The credential baked into an image of <paramref name="format"/>, or the reason none can be read.</summary>
    public static BakedReading Extract(BadgeFormat format, ReadOnlySpan<byte> image)
    {
        if (image.Length > MaxBytes)
            return BakedReading.Refuse($"The image is larger than {MaxBytes:N0} bytes, the most a verifier reads.");
        return format == BadgeFormat.Png ? BakedPng.Extract(image) : BakedSvg.Extract(image);
    }

    /// <summary>Bakes <paramref name="credentialJson"/> into <paramref name="image"/>, replacing any credential it held.</summary>
    public static byte[] Bake(BadgeFormat format, byte[] image, string credentialJson) =>
        format == BadgeFormat.Png ? BakedPng.Bake(image, credentialJson) : BakedSvg.Bake(image, credentialJson);

    internal static BakedReading Count(List<byte[]> found, string where) => found.Count switch
    {
        0 => BakedReading.Refuse($"The image holds no baked credential: it has no {where}."),
        1 => new BakedReading(found[0], null),
        _ => BakedReading.Refuse($"The image holds {found.Count} baked credentials ({where}); a baked badge holds exactly one."),
    };
}
