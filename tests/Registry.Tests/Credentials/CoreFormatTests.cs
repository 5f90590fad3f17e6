using System.Text.Json;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Identity;
using Registry.Verification;

namespace Registry.Tests.Credentials;

/// <summary>The small formats of the core: DIDs, dates, strict JSON, trusted-registry settings.</summary>
public sealed class CoreFormatTests
{
    [Theory]
    [InlineData("did:pkh:eip155:31337:0xa4f36f908496d350b9fff23c83af09152fa88b8e", true)]
    [InlineData("did:pkh:eip155:1:0xa4f36f908496d350b9fff23c83af09152fa88b8e", true)]
    [InlineData("did:pkh:eip155:31337:0xA4F36F908496D350B9FFF23C83AF09152FA88B8E", true)]
    [InlineData("did:pkh:eip155:0:0xa4f36f908496d350b9fff23c83af09152fa88b8e", false)]
    [InlineData("did:pkh:eip155:31337:0xa4f36f908496d350b9fff23c83af09152fa88b8", false)]
    [InlineData("did:web:example.edu", false)]
    [InlineData("", false)]
    public void Issuer_dids_are_did_pkh_and_keep_their_address_lowercase(string text, bool valid)
    {
        Assert.Equal(valid, IssuerDid.TryParse(text, out var did));
        if (valid) Assert.Equal(text.ToLowerInvariant(), did.ToString());
    }

    [Fact]
    public void A_did_is_made_from_any_case_of_address()
    {
        var did = IssuerDid.For(31337, "0xA4F36F908496D350B9FFF23C83AF09152FA88B8E");
        Assert.Equal("did:pkh:eip155:31337:0xa4f36f908496d350b9fff23c83af09152fa88b8e", did.ToString());
        Assert.Equal(did + "#blockchainAccountId", did.VerificationMethod);
        Assert.Throws<FormatException>(() => IssuerDid.For(1, "0x12"));
    }

    [Theory]
    [InlineData("2026-01-15T09:00:00Z", true)]
    [InlineData("2026-01-15T09:00:00.123Z", true)]
    [InlineData("2026-01-15T09:00:00+02:00", true)]
    [InlineData("2026-01-15T09:00:00", false)]
    [InlineData("2026-01-15", false)]
    [InlineData("2026-02-30T09:00:00Z", false)]
    [InlineData("15/01/2026", false)]
    public void Dates_need_a_time_zone(string text, bool valid) => Assert.Equal(valid, XsdDateTime.TryParse(text, out _));

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1} // comment")]
    [InlineData("{\"a\":1} {}")]
    [InlineData("")]
    public void Strict_json_refuses_ambiguous_documents(string text) => Assert.ThrowsAny<JsonException>(() => StrictJson.Parse(text));

    [Fact]
    public void Strict_json_refuses_invalid_utf8_even_inside_strings()
    {
        byte[] text = [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'];
        var error = Assert.ThrowsAny<JsonException>(() => StrictJson.Parse(text));
        Assert.Contains("UTF-8", error.Message);
    }

    [Fact]
    public void Strict_json_refuses_nesting_deeper_than_its_limit()
    {
        var deep = new string('[', StrictJson.MaxDepth + 1) + new string(']', StrictJson.MaxDepth + 1);
        Assert.ThrowsAny<JsonException>(() => StrictJson.Parse(deep));
        var fine = new string('[', StrictJson.MaxDepth - 1) + new string(']', StrictJson.MaxDepth - 1);
        Assert.NotNull(StrictJson.Parse(fine));
    }

    [Fact]
    public void Trusted_registries_parse_from_the_setting()
    {
        var list = TrustedRegistry.ParseSetting("1:0x5FbDB2315678afecb367f032d93F642f64180aa3=https://rpc.example, 31337:0x" + new string('a', 40) + "=http://127.0.0.1:8545");
        Assert.Equal(2, list.Count);
        Assert.Equal(1, list[0].ChainId);
        Assert.Equal("0x5fbdb2315678afecb367f032d93f642f64180aa3", list[0].Contract);
        Assert.Equal(new Uri("http://127.0.0.1:8545"), list[1].RpcUrl);
        Assert.Empty(TrustedRegistry.ParseSetting(null));
    }

    [Theory]
    [InlineData("0x" + "5fbdb2315678afecb367f032d93f642f64180aa3" + "=http://x")]
    [InlineData("abc:0x5fbdb2315678afecb367f032d93f642f64180aa3=http://x")]
    [InlineData("1:0x5fbd=http://x")]
    [InlineData("1:0x5fbdb2315678afecb367f032d93f642f64180aa3=ftp://x")]
    public void Bad_trusted_registries_are_named(string setting)
    {
        var error = Assert.Throws<FormatException>(() => TrustedRegistry.ParseSetting(setting));
        Assert.Contains(setting, error.Message);
    }

    [Fact]
    public void An_issuer_record_trusts_anchors_from_admission_until_its_trusted_until()
    {
        var added = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        // Removed on day 10 as compromised since day 4: anchors of days 4 to 10 are void.
        var record = new IssuerRecord("x", added, added.AddDays(10), added.AddDays(4), Bytes32.Zero);
        Assert.False(record.TrustedAt(added.AddSeconds(-1)));
        Assert.True(record.TrustedAt(added));
        Assert.True(record.TrustedAt(added.AddDays(4)));
        Assert.False(record.TrustedAt(added.AddDays(4).AddSeconds(1)));
        Assert.False(record.TrustedAt(added.AddDays(10)));
        Assert.True(new IssuerRecord("y", added, null, null, Bytes32.Zero).TrustedAt(added.AddYears(5)));
    }
}
