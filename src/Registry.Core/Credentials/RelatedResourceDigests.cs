using System.Buffers.Text;
using System.Security.Cryptography;
using Registry.LinkedData;
using Registry.Signatures;

namespace Registry.Credentials;

/// <summary>
/// The digests of a <c>relatedResource</c> (VC 2.0 5.3) checked against the resource, where the registry holds its exact
/// bytes: it fetches nothing, so that is the VC 2.0 base context alone (<see cref="BundledContexts.TryGetPublishedBytes"/>),
/// which VC 2.0 tells implementations to treat as already retrieved. A digest that does not match, or that cannot be read
/// as one, is an error ("a conforming verifier … MUST produce an error"); the digests of any other resource are not checked.
/// </summary>
public static class RelatedResourceDigests
{
    /// <summary>
    /// What is wrong with <paramref name="digest"/> (a <c>digestSRI</c> or <c>digestMultibase</c> value, by
    /// <paramref name="field"/>) as a digest of the resource at <paramref name="url"/>; null when it matches, or when the
    /// registry does not hold that resource's bytes.
    /// </summary>
    public static string? Mismatch(string url, string field, string digest)
    {
        if (!BundledContexts.TryGetPublishedBytes(url, out var resource))
            return null;
        return field switch
        {
            "digestSRI" => SriMismatch(resource, digest),
            "digestMultibase" => MultibaseMismatch(resource, digest),
            _ => throw new ArgumentException($"{field} is not a digest property.", nameof(field)),
        };
    }

    /// <summary>
    /// Subresource Integrity 3.5: one or more <c>algorithm-base64</c> expressions (options after <c>?</c> aside), separated
    /// by white space; the resource matches when a digest of the strongest algorithm given matches. Every expression must be
    /// of SHA-256, SHA-384 or SHA-512 in base64, or the value cannot be checked.
    /// </summary>
    private static string? SriMismatch(byte[] resource, string value)
    {
        var expressions = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (expressions.Length == 0)
            return "digestSRI holds no hash expression.";
        var digests = new List<(HashAlgorithmName Algorithm, int Strength, byte[] Digest)>();
        foreach (var expression in expressions)
        {
            var dash = expression.IndexOf('-', StringComparison.Ordinal);
            var algorithm = dash < 0 ? null : Algorithm(expression[..dash]);
            var encoded = dash < 0 ? "" : expression[(dash + 1)..].Split('?')[0];
            if (algorithm is not { } known || !TryBase64(encoded, out var digest) || digest.Length != Length(known.Name))
                return $"'{expression}' is not a SHA-256, SHA-384 or SHA-512 hash expression in base64 (Subresource Integrity 3.5).";
            digests.Add((known.Name, known.Strength, digest));
        }
        var strongest = digests.Max(d => d.Strength);
        var expected = digests.Where(d => d.Strength == strongest).ToList();
        var actual = Hash(expected[0].Algorithm, resource);
        return expected.Any(d => CryptographicOperations.FixedTimeEquals(d.Digest, actual))
            ? null
            : $"digestSRI does not match the resource: its {expected[0].Algorithm} is {Convert.ToBase64String(actual)}.";
    }

    /// <summary>
    /// Data Integrity 2.6: a multibase (<c>u</c> base64url without padding, or <c>z</c> base58btc) multihash of SHA-256
    /// (<c>0x12</c>), SHA-384 (<c>0x20</c>) or SHA-512 (<c>0x13</c>), its length after the code.
    /// </summary>
    private static string? MultibaseMismatch(byte[] resource, string value)
    {
        byte[] multihash;
        if (value.StartsWith('u'))
        {
            if (!TryBase64Url(value[1..], out multihash))
                return "digestMultibase is not base64url after its 'u' prefix.";
        }
        else if (!Multikey.TryDecodeBase58Btc(value, out multihash, out _))
            return "digestMultibase is neither multibase base64url ('u') nor base58btc ('z').";
        HashAlgorithmName? algorithm = multihash.Length < 2 ? null : multihash[0] switch
        {
            0x12 => HashAlgorithmName.SHA256,
            0x20 => HashAlgorithmName.SHA384,
            0x13 => HashAlgorithmName.SHA512,
            _ => null,
        };
        if (algorithm is not { } name || multihash[1] != Length(name) || multihash.Length != 2 + multihash[1])
            return "digestMultibase is not a multihash of SHA-256, SHA-384 or SHA-512 (a code, a length, then the digest).";
        var actual = Hash(name, resource);
        return CryptographicOperations.FixedTimeEquals(multihash.AsSpan(2), actual)
            ? null
            : $"digestMultibase does not match the resource: its {name} multihash is u{Base64Url.EncodeToString([multihash[0], multihash[1], .. actual])}.";
    }

    private static (HashAlgorithmName Name, int Strength)? Algorithm(string token) => token switch
    {
        "sha256" => (HashAlgorithmName.SHA256, 256),
        "sha384" => (HashAlgorithmName.SHA384, 384),
        "sha512" => (HashAlgorithmName.SHA512, 512),
        _ => null,
    };

    private static int Length(HashAlgorithmName name) =>
        name == HashAlgorithmName.SHA256 ? 32 : name == HashAlgorithmName.SHA384 ? 48 : 64;

    private static byte[] Hash(HashAlgorithmName name, byte[] bytes) =>
        name == HashAlgorithmName.SHA256 ? SHA256.HashData(bytes) : name == HashAlgorithmName.SHA384 ? SHA384.HashData(bytes) : SHA512.HashData(bytes);

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out var written))
            return false;
        bytes = bytes[..written];
        return true;
    }

    private static bool TryBase64Url(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Contains('='))
            return false;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
