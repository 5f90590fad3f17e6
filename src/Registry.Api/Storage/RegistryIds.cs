using Registry.Credentials;

namespace Registry.Api.Storage;

/// <summary>
/// The one reading of an id a request gives. The registry writes a credential, issuer or auditor id as
/// a lowercase GUID with hyphens (no braces, no capitals) and a batch id as 32 lowercase hex digits, and
/// takes them only in that form: LiteDB would otherwise find some other spellings (it compares ids
/// without case) and not others, and a key longer than its index allows would fail the lookup.
/// </summary>
public static class RegistryIds
{
    public static bool TryParseGuid(string id, out Guid guid) => Guid.TryParseExact(id, "D", out guid) && guid.ToString() == id;

    public static bool IsGuid(string id) => TryParseGuid(id, out _);

    public static bool IsBatchId(string id) => id.Length == BatchIds.Length && id.All(char.IsAsciiHexDigitLower);

    /// <summary>An offer id: 32 lowercase hex digits, as a batch id is written.</summary>
    public static bool IsOfferId(string id) => IsBatchId(id);

    private const string CredentialUrnPrefix = "urn:uuid:";

    /// <summary>The <c>id</c> the registry gives a credential submitted without one: its record's id as a URN.</summary>
    public static string CredentialUrn(Guid id) => $"{CredentialUrnPrefix}{id}";

    /// <summary>The record id a credential's <c>id</c> names when it is of the form <see cref="CredentialUrn"/> writes; null otherwise.</summary>
    public static string? RecordIdOfCredentialUrn(string credentialId) =>
        credentialId.StartsWith(CredentialUrnPrefix, StringComparison.Ordinal) ? credentialId[CredentialUrnPrefix.Length..] : null;
}
