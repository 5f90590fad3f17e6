using System.Text.Json.Nodes;

namespace Registry.Credentials;

/// <summary>
/// The first <c>credentialStatus</c> entry of every portable credential: a W3C Bitstring Status List
/// entry (<c>BitstringStatusListEntry</c>, purpose <c>revocation</c>), which standard wallets and
/// verifiers read. Every credential of an issuer has a status index of its own, given in order:
/// list = index / <see cref="ListSize"/>, position = index % <see cref="ListSize"/>. The list is the
/// issuer's <c>BitstringStatusListCredential</c> at <c>{publicUrl}/status/{issuerId}/{list}</c>, which
/// the registry builds from the chain; the registry's own verifier reads the chain entry instead.
/// </summary>
public sealed record StatusListEntry(string ListCredential, int Position)
{
    public const string EntryType = "BitstringStatusListEntry";
    public const string Purpose = "revocation";

    /// <summary>Entries per list: 131,072 (16 KiB of bits), the Bitstring Status List specification's minimum, for herd privacy.</summary>
    public const int ListSize = 131_072;

    private static readonly HashSet<string> Fields = ["id", "type", "statusPurpose", "statusListIndex", "statusListCredential"];

    /// <summary>The list and the position in it of an issuer's status index.</summary>
    public static (long List, int Position) Locate(long statusIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(statusIndex);
        return (statusIndex / ListSize, (int)(statusIndex % ListSize));
    }

    /// <summary>How many lists the first <paramref name="allocated"/> status indexes of an issuer take: at least one, its first.</summary>
    public static long ListsFor(long allocated) => allocated <= 0 ? 1 : (allocated - 1) / ListSize + 1;

    /// <summary>The URL of an issuer's list: <c>{publicUrl}/status/{issuerId}/{list}</c>.</summary>
    public static string ListUrl(Uri publicUrl, string issuerId, long list) =>
        $"{publicUrl.AbsoluteUri.TrimEnd('/')}/status/{Uri.EscapeDataString(issuerId)}/{list}";

    public static StatusListEntry For(Uri publicUrl, string issuerId, long statusIndex)
    {
        var (list, position) = Locate(statusIndex);
        return new StatusListEntry(ListUrl(publicUrl, issuerId, list), position);
    }

    public string Id => $"{ListCredential}#{Position}";

    /// <summary>
    /// The issuer and status index the entry names, read back from its list URL (<c>…/status/{issuerId}/{list}</c>, whatever
    /// comes before) and its position: what <see cref="For"/> wrote them from. False when the URL has not that shape or its
    /// list number is beyond any status index.
    /// </summary>
    public bool TryReadIndex(out string issuerId, out long statusIndex)
    {
        issuerId = "";
        statusIndex = -1;
        if (Position is < 0 or >= ListSize || !Web.HttpUrl.TryParse(ListCredential, out var url)) return false;
        var segments = url.AbsolutePath.Split('/');
        if (segments.Length < 4 || segments[^3] != "status" || segments[^2].Length == 0 || !TryParseList(segments[^1], out var list)
            || list > (long.MaxValue - Position) / ListSize)
            return false;
        issuerId = Uri.UnescapeDataString(segments[^2]);
        statusIndex = list * ListSize + Position;
        return true;
    }

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["type"] = EntryType,
        ["statusPurpose"] = Purpose,
        ["statusListIndex"] = Position.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["statusListCredential"] = ListCredential,
    };

    /// <summary>Reads the status list entry at <paramref name="at"/>, naming every malformed field; never throws on hostile input.</summary>
    public static StatusListEntry? TryParse(JsonNode? node, string at, ValidationErrors errors)
    {
        if (node is not JsonObject entry)
        {
            errors.Add(at, $"the first credentialStatus entry must be a {EntryType} object.");
            return null;
        }
        var valid = true;
        void Fail(string field, string message)
        {
            errors.Add($"{at}/{FieldPointer.Escape(field)}", message);
            valid = false;
        }
        foreach (var (name, _) in entry)
            if (!Fields.Contains(name)) Fail(name, $"a {EntryType} entry has no field '{FieldPointer.Shorten(name)}'.");
        if (Text(entry, "type") != EntryType) Fail("type", $"the first credentialStatus entry's type must be '{EntryType}'.");
        if (Text(entry, "statusPurpose") != Purpose) Fail("statusPurpose", $"statusPurpose must be '{Purpose}'.");
        var index = Text(entry, "statusListIndex");
        var position = TryParsePosition(index);
        if (position is null) Fail("statusListIndex", $"statusListIndex must be a string of a whole number from 0 to {ListSize - 1}, without leading zeros.");
        var list = Text(entry, "statusListCredential");
        if (!IsListUrl(list)) Fail("statusListCredential", "statusListCredential must be an http(s) URL ending in /status/{issuer}/{list}, without query or fragment.");
        if (valid && Text(entry, "id") != $"{list}#{index}") Fail("id", "id must be the statusListCredential followed by '#' and the statusListIndex.");
        return valid ? new StatusListEntry(list!, position!.Value) : null;
    }

    private static int? TryParsePosition(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 6 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0')) return null;
        var value = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return value < ListSize ? value : null;
    }

    /// <summary>An absolute http(s) URL without query or fragment whose path ends in <c>/status/{issuer}/{list}</c>.</summary>
    private static bool IsListUrl(string? text)
    {
        if (!Web.HttpUrl.TryParse(text, out var url) || text!.IndexOfAny(['?', '#']) >= 0) return false;
        var segments = url.AbsolutePath.Split('/');
        return segments.Length >= 4 && segments[^3] == "status" && segments[^2].Length > 0 && TryParseList(segments[^1], out _);
    }

    /// <summary>A list number as the registry writes it: decimal digits without a leading zero.</summary>
    public static bool TryParseList(string text, out long list)
    {
        list = 0;
        return text.Length is > 0 and <= 18 && text.All(char.IsAsciiDigit) && (text.Length == 1 || text[0] != '0')
            && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out list);
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
