using System.Text;
using System.Text.Json.Nodes;
using Registry.Signatures;

namespace Registry.Tests.Signatures;

/// <summary>Base58btc, Multikey, did:key and Ed25519 against published vectors, and each malformed identifier refused with its reason.</summary>
public sealed class DidKeyTests
{
    private static JsonNode Vector(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "vc-di-eddsa", "TestVectors", file)))!;

    [Theory]
    // The examples of the IETF base58 draft (draft-msporny-base58-03, section 5).
    [InlineData("48656c6c6f20576f726c6421", "2NEpo7TZRRrLZSi2U")]
    [InlineData("54686520717569636b2062726f776e20666f78206a756d7073206f76657220746865206c617a7920646f672e", "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z")]
    [InlineData("0000287fb4cd", "11233QC4")]
    [InlineData("", "")]
    public void Base58btc_matches_the_published_examples(string hex, string base58)
    {
        Assert.Equal(base58, Base58Btc.Encode(Convert.FromHexString(hex)));
        Assert.True(Base58Btc.TryDecode(base58, out var bytes));
        Assert.Equal(hex, Convert.ToHexStringLower(bytes));
    }

    [Theory]
    [InlineData("0OIl")]
    [InlineData("abc+")]
    [InlineData("zé")]
    public void Base58btc_refuses_characters_outside_its_alphabet(string text) =>
        Assert.False(Base58Btc.TryDecode(text, out _));

    [Fact]
    public void The_vectors_private_keys_give_their_public_keys()
    {
        var pairs = new List<JsonNode> { Vector("keyPair.json") };
        pairs.AddRange(Vector("proof-set-chain/multiKeyPairs.json").AsObject().Select(pair => pair.Value!));
        foreach (var pair in pairs)
        {
            Assert.True(Multikey.TryDecodePrivateKey(pair["privateKeyMultibase"]!.GetValue<string>(), out var privateKey, out var error), error);
            var key = Ed25519Keys.FromPrivateKey(privateKey);
            Assert.Equal(pair["publicKeyMultibase"]!.GetValue<string>(), Multikey.EncodePublicKey(key.PublicKey));
            Assert.Equal(pair["privateKeyMultibase"]!.GetValue<string>(), Multikey.EncodePrivateKey(key.PrivateKey));
        }
    }

    [Fact]
    public void A_did_key_and_its_verification_method_resolve_to_the_key()
    {
        var key = Ed25519Keys.Generate();
        var did = DidKey.For(key.PublicKey);
        Assert.StartsWith("did:key:z6Mk", did);
        Assert.Equal($"{did}#{did["did:key:".Length..]}", DidKey.VerificationMethod(key.PublicKey));
        Assert.Equal(key.PublicKey, DidKey.Resolve(did).PublicKey);
        Assert.Equal(key.PublicKey, DidKey.Resolve(DidKey.VerificationMethod(key.PublicKey)).PublicKey);
        Assert.DoesNotContain(Multikey.EncodePrivateKey(key.PrivateKey), key.ToString());
    }

    [Fact]
    public void The_did_key_of_the_specification_example_resolves()
    {
        // did:key specification, example 1, and its publicKeyMultibase in the DID document it shows.
        var resolution = DidKey.Resolve("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
        Assert.True(resolution.Resolved, resolution.Error);
        Assert.Equal("z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", Multikey.EncodePublicKey(resolution.PublicKey!));
    }

    [Theory]
    [InlineData(null, "no identifier")]
    [InlineData("did:web:example.com", "is not a did:key")]
    [InlineData("did:key:6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "must start with 'z'")]
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do0", "outside the base58btc alphabet")]
    [InlineData("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", "multicodec header is not 0xed01")]
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "must repeat the key")]
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK/path", "no path")]
    public void A_malformed_did_key_is_refused_with_its_reason(string? did, string reason)
    {
        var resolution = DidKey.Resolve(did);
        Assert.False(resolution.Resolved);
        Assert.Contains(reason, resolution.Error);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void A_key_of_the_wrong_length_is_refused(int length)
    {
        var bytes = new byte[2 + length];
        (bytes[0], bytes[1], bytes[5]) = (0xed, 0x01, 7);
        var resolution = DidKey.Resolve("did:key:" + Multikey.EncodeBase58Btc(bytes));
        Assert.False(resolution.Resolved);
        Assert.Contains($"has 32 bytes, this one {length}", resolution.Error);
    }

    [Fact]
    public void A_key_that_is_not_a_curve_point_is_refused()
    {
        // y = 2 is not the y coordinate of any point of the curve.
        var notAPoint = new byte[32];
        notAPoint[0] = 2;
        var resolution = DidKey.Resolve(DidKey.For(notAPoint));
        Assert.False(resolution.Resolved);
        Assert.Contains("not a point", resolution.Error);
    }

    [Fact]
    public void A_signature_verifies_and_any_change_breaks_it()
    {
        var key = Ed25519Keys.Generate();
        var message = Encoding.UTF8.GetBytes("the message");
        var signature = Ed25519Keys.Sign(key, message);
        Assert.Equal(signature, Ed25519Keys.Sign(key, message)); // deterministic
        Assert.True(Ed25519Keys.Verify(key.PublicKey, message, signature));

        var flipped = (byte[])signature.Clone();
        flipped[10] ^= 1;
        Assert.False(Ed25519Keys.Verify(key.PublicKey, message, flipped));
        Assert.False(Ed25519Keys.Verify(key.PublicKey, Encoding.UTF8.GetBytes("the messagf"), signature));
        Assert.False(Ed25519Keys.Verify(Ed25519Keys.Generate().PublicKey, message, signature));
        Assert.False(Ed25519Keys.Verify(key.PublicKey, message, signature[..63]));
    }
}
