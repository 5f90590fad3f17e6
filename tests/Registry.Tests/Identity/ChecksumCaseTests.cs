using Nethereum.Util;
using Registry.Identity;

namespace Registry.Tests.Identity;

/// <summary>EIP-55 checksum case: read everywhere, compared without regard to case, never written.</summary>
public sealed class ChecksumCaseTests
{
    // The examples of EIP-55 itself.
    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void The_checksum_of_an_address_is_the_one_eip55_gives(string checksummed)
    {
        Assert.Equal(checksummed, IssuerDid.ToChecksumAddress(checksummed.ToLowerInvariant()));
        Assert.True(IssuerDid.IsAddress(checksummed));
    }

    [Fact]
    public void The_checksum_agrees_with_nethereum_for_many_addresses()
    {
        var random = new Random(55);
        for (var i = 0; i < 200; i++)
        {
            var address = "0x" + Convert.ToHexStringLower(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 20));
            Assert.Equal(new AddressUtil().ConvertToChecksumAddress(address), IssuerDid.ToChecksumAddress(address));
        }
    }

    [Fact]
    public void A_mixed_case_address_with_a_wrong_checksum_is_refused_as_mistyped()
    {
        var wrong = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";
        Assert.False(IssuerDid.IsAddress(wrong));
        Assert.False(IssuerDid.TryParse($"did:pkh:eip155:1:{wrong}", out _));
        Assert.Throws<FormatException>(() => IssuerDid.NormalizeAddress(wrong));
    }

    [Fact]
    public void A_checksum_case_did_is_the_same_issuer_as_the_lowercase_one()
    {
        Assert.True(IssuerDid.TryParse("did:pkh:eip155:1:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", out var checksummed));
        Assert.True(IssuerDid.TryParse("did:pkh:eip155:1:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", out var lower));
        Assert.Equal(lower, checksummed);
        Assert.Equal("did:pkh:eip155:1:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", checksummed.ToString());
    }
}
