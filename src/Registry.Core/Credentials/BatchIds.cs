using Registry.Hashing;
using Registry.Identity;

namespace Registry.Credentials;

/// <summary>
/// A batch's id is a name of its anchor, not a number the registry picks: the first 16 bytes of
/// keccak256(issuer address ‖ root), as 32 lowercase hex digits. The contract keys anchors by
/// (issuer, root), so the id is unique per anchor, and any verifier can recompute it from the proof:
/// a changed <c>proof.anchor.batchId</c> is caught like any other field.
/// </summary>
public static class BatchIds
{
    public const int Length = 32;

    public static string For(string issuerAddress, Bytes32 root)
    {
        var address = Convert.FromHexString(IssuerDid.NormalizeAddress(issuerAddress)[2..]);
        Span<byte> input = stackalloc byte[20 + Bytes32.Length];
        address.CopyTo(input);
        root.WriteTo(input[20..]);
        return Convert.ToHexStringLower(Keccak256.Hash(input).ToArray(), 0, Length / 2);
    }
}
