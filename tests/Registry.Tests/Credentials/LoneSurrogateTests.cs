using System.Text;
using System.Text.Json.Nodes;
using Registry.Chain;
using Registry.Credentials;
using Registry.Hashing;
using Registry.Tests.Infrastructure;
using Registry.Verification;
using Registry.Verification.Rpc;

namespace Registry.Tests.Credentials;

/// <summary>
/// An escaped lone surrogate ("\ud800") is JSON without Unicode text, so it has no UTF-8 form to hash:
/// strict JSON names where it is, and the verifier fails such a document at <c>format</c>.
/// </summary>
public sealed class LoneSurrogateTests
{
    public static TheoryData<string> LoneSurrogates => new()
    {
        @"\ud800", @"\udc00", @"\uDBFF", @"a\udfffb", @"\ud800\u0041", @"\ud800x", @"\ud800\ud800", @"\ud800\n",
        @"\udc00\ud800", @"\ud83d\ude00\ud800", @"\\\ud800",
    };

    public static TheoryData<string> WellFormed => new()
    {
        @"\ud83d\ude00", @"\uD83D\uDE00", @"\u00e9", @"\\ud800", @"plain", @"\u0000\n\t\""",
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public void A_lone_surrogate_in_a_string_is_named_by_its_path(string escaped)
    {
        var refused = Assert.Throws<InexactJsonException>(() => StrictJson.Parse("{\"credentialSubject\": {\"tags\": [\"ok\", \"" + escaped + "\"]}}"));
        Assert.Equal(["/credentialSubject/tags/1"], refused.Errors.ToDictionary().Keys);
    }

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public void A_lone_surrogate_in_a_property_name_is_named_by_its_path(string escaped)
    {
        var refused = Assert.Throws<InexactJsonException>(() => StrictJson.Parse("{\"credentialSubject\": {\"" + escaped + "\": 1}}"));
        Assert.Equal(["/credentialSubject/" + escaped], refused.Errors.ToDictionary().Keys);
    }

    [Theory]
    [MemberData(nameof(WellFormed))]
    public void Escapes_that_are_unicode_are_accepted(string escaped)
    {
        var document = StrictJson.Parse($$"""{"{{escaped}}": "{{escaped}}"}""")!.AsObject();
        var (name, value) = document.Single();
        Assert.Equal(name, value!.GetValue<string>());
    }

    [Fact]
    public void A_path_through_an_escaped_name_reads_as_the_name()
    {
        var refused = Assert.Throws<InexactJsonException>(() => StrictJson.Parse("""{"na\u006de": "\ud800"}"""));
        Assert.Equal(["/name"], refused.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void A_string_given_with_a_raw_lone_surrogate_is_refused_not_replaced()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => StrictJson.Parse("{\"a\": \"\ud800\"}"));
    }

    [Theory]
    [InlineData("name", "\"A badge\"")]
    [InlineData("validFrom", "\"2026-01-15T09:00:00Z\"")]
    [InlineData("description", "\"text\"")]
    public async Task The_verifier_fails_a_lone_surrogate_at_format(string field, string intactJson)
    {
        var verifier = new CredentialVerifier(new TrustedRegistries(new HttpClient(), []));
        var intact = await verifier.VerifyAsync(PortableText(field, intactJson));
        Assert.Equal("digest", intact.FirstFailure?.Name); // well formed: only its made-up digest is wrong

        foreach (var text in new[] { PortableText(field, "\"\\ud800\""), PortableText(field, "\"\\udc00\""), PortableText(field, "\"\\ud800\\u0041\"") })
        {
            var report = await verifier.VerifyAsync(text);
            Assert.False(report.Verified);
            Assert.Equal("format", report.FirstFailure?.Name);
            Assert.Contains(field, report.FirstFailure!.Message);
        }
    }

    [Fact]
    public async Task The_verifier_fails_a_lone_surrogate_property_name_or_an_inexact_number_at_format()
    {
        var verifier = new CredentialVerifier(new TrustedRegistries(new HttpClient(), []));
        foreach (var (placeholder, replacement) in new[] { ("\"extra\"", "\"\\udc00\""), ("\"score\":1", "\"score\":9007199254740993"), ("\"score\":1", "\"score\":1e-400") })
        {
            var intact = await verifier.VerifyAsync(PortableText("extra", "1"));
            Assert.Equal("digest", intact.FirstFailure?.Name);
            var text = Encoding.UTF8.GetString(PortableText("extra", "1").Span).Replace(placeholder, replacement);
            var report = await verifier.VerifyAsync(Encoding.UTF8.GetBytes(text));
            Assert.Equal("format", report.FirstFailure?.Name);
        }
    }

    /// <summary>A well-formed portable credential (with a made-up proof) as JSON text, with <paramref name="field"/> set to the raw JSON <paramref name="json"/>.</summary>
    internal static ReadOnlyMemory<byte> PortableText(string field, string json)
    {
        var did = Registry.Identity.IssuerDid.For(31337, "0x" + new string('a', 40));
        var credential = Samples.Badge();
        RegistryFields.Apply(credential, "urn:uuid:6f1c2b8e-0d4a-4c57-9a53-0c1f1f7d0c11", new IssuerProfileFields(ProofSets.StrangerDidKey, "Issuer"),
            Samples.StatusListEntry(), CredentialStatusEntry.For(did, "0x" + new string('b', 40)));
        credential["credentialSubject"]!["score"] = 1;
        credential[field] = "PLACEHOLDER";
        var hash = Bytes32.Parse("0x" + new string('1', 64));
        var proof = new AnchorProof(did.VerificationMethod, DateTimeOffset.UnixEpoch, hash, hash, hash, [hash],
            new AnchorLocation(31337, "0x" + new string('b', 40), "0x" + new string('c', 64), 1, "batch"));
        var text = PortableCredential.Compose(credential, proof, ProofSets.PlaceholderSignature(ProofSets.StrangerDidKey)).ToJsonString().Replace("\"PLACEHOLDER\"", json);
        return Encoding.UTF8.GetBytes(text);
    }
}
