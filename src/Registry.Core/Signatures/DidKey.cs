using System.Collections.Concurrent;

namespace Registry.Signatures;

/// <summary>What resolving a did:key gave: the Ed25519 public key, or why there is none.</summary>
public sealed record DidKeyResolution(byte[]? PublicKey, string? Error)
{
    public bool Resolved => PublicKey is not null;
}

/// <summary>
/// did:key for Ed25519 keys (did:key method 0.9): the DID is <c>did:key:</c> and the key's Multikey,
/// and its one verification method is the DID with the Multikey again as fragment. Resolution is
/// pure: the key is in the identifier.
/// </summary>
public static class DidKey
{
    public const string Prefix = "did:key:";

    private const int MaxRememberedKeys = 10_000;

    /// <summary>
    /// Keys already found to be points of the prime-order group, by their Multikey. That check is a
    /// scalar multiplication, as dear as verifying a signature, and a verifier sees the same few issuers'
    /// keys again and again; the answer for a key never changes.
    /// </summary>
    private static readonly ConcurrentDictionary<string, bool> PrimeOrderKeys = new(StringComparer.Ordinal);

    public static string For(ReadOnlySpan<byte> publicKey) => Prefix + Multikey.EncodePublicKey(publicKey);

    /// <summary><c>did:key:z6Mk…#z6Mk…</c>, the verification method a proof names.</summary>
    public static string VerificationMethod(ReadOnlySpan<byte> publicKey)
    {
        var multikey = Multikey.EncodePublicKey(publicKey);
        return $"{Prefix}{multikey}#{multikey}";
    }

    /// <summary>Resolves a did:key, or one of its verification methods, to its Ed25519 public key.</summary>
    public static DidKeyResolution Resolve(string? didOrVerificationMethod)
    {
        if (string.IsNullOrEmpty(didOrVerificationMethod))
            return Refused("no identifier");
        if (!didOrVerificationMethod.StartsWith(Prefix, StringComparison.Ordinal))
            return Refused($"'{Shorten(didOrVerificationMethod)}' is not a did:key");
        var rest = didOrVerificationMethod.AsSpan(Prefix.Length);
        var hash = rest.IndexOf('#');
        var identifier = hash < 0 ? rest : rest[..hash];
        if (identifier.IndexOfAny('/', '?', ':') >= 0)
            return Refused("a did:key has no path, query or further colon before its fragment");
        if (hash >= 0 && !rest[(hash + 1)..].SequenceEqual(identifier))
            return Refused("the fragment of a did:key verification method must repeat the key");
        var multikey = identifier.ToString();
        if (!Multikey.TryDecodePublicKey(multikey, out var publicKey, out var error))
            return Refused(error);
        if (!PrimeOrderKeys.ContainsKey(multikey))
        {
            if (!Ed25519Keys.IsValidPublicKey(publicKey))
                return Refused("the key is not a point of Ed25519's prime-order group");
            if (PrimeOrderKeys.Count < MaxRememberedKeys) PrimeOrderKeys.TryAdd(multikey, true);
        }
        return new DidKeyResolution(publicKey, null);
    }

    private static DidKeyResolution Refused(string reason) => new(null, $"did:key refused: {reason}");

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
