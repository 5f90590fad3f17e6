using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Registry.Api.Index;
using Registry.Api.Issuers;
using Registry.Api.Outcomes;
using Registry.Api.Storage;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Identity;
using Registry.Signatures;
using Registry.StatusLists;

namespace Registry.Api.StatusLists;

/// <summary>
/// Each issuer's W3C Bitstring Status Lists, as standard wallets read them: a bit is set once the issuer's
/// revocation of that credential is confirmed on chain, read from the chain index, so the chain stays the
/// truth and the list is only its copy. Each list is signed with the issuer's Ed25519 key
/// (<c>eddsa-rdfc-2022</c>) and kept; it is built again only when the issuer's confirmed revocations change.
/// </summary>
public sealed class StatusListService(
    IIssuerStore issuers, ICredentialStore store, ChainFollower follower, IssuerKeyring keyring, RegistryOptions options, TimeProvider clock)
{
    private readonly Lock _building = new();
    private readonly Dictionary<(string Issuer, long List), SignedList> _lists = [];

    /// <summary>A signed list, and the confirmed revocations it was built from.</summary>
    private sealed record SignedList(byte[] Revocations, JsonObject Credential);

    /// <summary>The issuer's list <paramref name="listText"/>; unknown for an issuer that does not exist or a list beyond those its credentials took.</summary>
    public Outcome<JsonObject, Unknown> Get(string issuerId, string listText)
    {
        if (issuers.Find(issuerId) is not { SealedSigningKey: not null } issuer || !IssuerDid.TryParse(issuer.Did, out var did))
            return new Unknown($"Issuer {issuerId}");
        if (!StatusListEntry.TryParseList(listText, out var list) || list >= StatusListEntry.ListsFor(store.StatusIndexesOf(issuer.Id)))
            return new Unknown($"Status list {listText} of issuer {issuerId}");

        var revoked = ConfirmedRevocations(issuer, options.ConfirmationsFor(did.ChainId));
        var fingerprint = Fingerprint(revoked);
        lock (_building)
        {
            if (_lists.TryGetValue((issuer.Id, list), out var kept) && kept.Revocations.AsSpan().SequenceEqual(fingerprint)) return kept.Credential;
            var signed = new SignedList(fingerprint, Build(issuer, list, revoked));
            _lists[(issuer.Id, list)] = signed;
            return signed.Credential;
        }
    }

    /// <summary>The digests the issuer revoked in blocks with the configured confirmations on top, as far as the index has read.</summary>
    private HashSet<Bytes32> ConfirmedRevocations(IssuerEntity issuer, int confirmations)
    {
        var index = follower.Index;
        var head = index.Cursor?.Number ?? -1;
        return index.RevocationsBy(issuer.Address).Where(r => r.Revocation.BlockNumber + confirmations <= head).Select(r => r.Digest).ToHashSet();
    }

    private JsonObject Build(IssuerEntity issuer, long list, HashSet<Bytes32> revoked)
    {
        var positions = store.StatusIndexesOf(issuer.Id, revoked).Select(StatusListEntry.Locate).Where(at => at.List == list).Select(at => at.Position);
        var key = keyring.SigningKeyOf(issuer);
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        var unsigned = BitstringStatusList.Credential(StatusListEntry.ListUrl(options.StatusBaseUrl, issuer.Id, list), DidKey.For(key.PublicKey), now,
            BitstringStatusList.Bits(positions));
        return EddsaRdfc2022.Sign(unsigned, key, now);
    }

    /// <summary>A digest of the set of revocations, the same whatever their order.</summary>
    private static byte[] Fingerprint(HashSet<Bytes32> revoked)
    {
        var sorted = revoked.Select(d => d.ToString()).Order(StringComparer.Ordinal);
        return SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(string.Join(',', sorted)));
    }
}
