using Registry.Hashing;

namespace Registry.Tests.Hashing;

public class Bytes32Tests
{
    private const string Sample = "0x00112233445566778899aabbccddeeff0123456789abcdef fedcba9876543210";

    private static readonly string Hex = Sample.Replace(" ", "");

    [Fact]
    public void Parses_and_prints_lowercase_hex()
    {
        var value = Bytes32.Parse(Hex);
        Assert.Equal(Hex, value.ToString());
        Assert.Equal(Convert.FromHexString(Hex[2..]), value.ToArray());
        Assert.Equal(value, Bytes32.Parse("0x" + Hex[2..].ToUpperInvariant()));
        Assert.Equal(Hex, Bytes32.Parse("0x" + Hex[2..].ToUpperInvariant()).ToString());
    }

    [Theory]
    [InlineData("", "must start with \"0x\"")]
    [InlineData("00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210", "must start with \"0x\"")]
    [InlineData("0X00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210", "must start with \"0x\"")]
    [InlineData("0x", "this one has 0")]
    [InlineData("0x00112233445566778899aabbccddeeff0123456789abcdeffedcba987654321", "this one has 63")]
    [InlineData("0x00112233445566778899aabbccddeeff0123456789abcdeffedcba98765432100", "this one has 65")]
    [InlineData("0x00112233445566778899aabbccddeeff0123456789abcdeffedcba987654321g", "'g' at position 65")]
    [InlineData(" 0x00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210", "must start with \"0x\"")]
    [InlineData("0x00112233445566778899aabbccddeeff0123456789abcdeffedcba987654321 ", "' ' at position 65")]
    [InlineData("0x-0112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210", "'-' at position 2")]
    public void Refuses_malformed_hex_saying_why(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => Bytes32.Parse(text));
        Assert.Contains(reason, error.Message);
        Assert.False(Bytes32.TryParse(text, out var value));
        Assert.Equal(Bytes32.Zero, value);
    }

    [Fact]
    public void TryParse_accepts_valid_and_refuses_null()
    {
        Assert.True(Bytes32.TryParse(Hex, out var value));
        Assert.Equal(Hex, value.ToString());
        Assert.False(Bytes32.TryParse(null, out _));
        Assert.Throws<ArgumentNullException>(() => Bytes32.Parse(null!));
    }

    [Fact]
    public void Reads_and_writes_exactly_32_bytes()
    {
        var bytes = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var value = Bytes32.FromSpan(bytes);
        Assert.Equal(bytes, value.ToArray());

        var larger = new byte[40];
        value.WriteTo(larger);
        Assert.Equal(bytes, larger[..32]);

        Assert.Throws<ArgumentException>(() => Bytes32.FromSpan(new byte[31]));
        Assert.Throws<ArgumentException>(() => Bytes32.FromSpan(new byte[33]));
        Assert.Throws<ArgumentException>(() => value.WriteTo(new byte[31]));
    }

    [Fact]
    public void Zero_is_the_default_and_only_zero_is_zero()
    {
        Assert.True(Bytes32.Zero.IsZero);
        Assert.True(default(Bytes32).IsZero);
        Assert.Equal("0x" + new string('0', 64), Bytes32.Zero.ToString());
        var lastBit = new byte[32];
        lastBit[31] = 1;
        Assert.False(Bytes32.FromSpan(lastBit).IsZero);
    }

    [Fact]
    public void Orders_as_bytes_and_as_unsigned_256_bit_integers()
    {
        var random = new Random(3);
        var a = new byte[32];
        var b = new byte[32];
        for (var i = 0; i < 2000; i++)
        {
            random.NextBytes(a);
            random.NextBytes(b);
            // Make many pairs share a prefix so every word gets compared.
            a.AsSpan(0, i % 32).CopyTo(b);
            var expected = Math.Sign(a.AsSpan().SequenceCompareTo(b));
            var left = Bytes32.FromSpan(a);
            var right = Bytes32.FromSpan(b);
            Assert.Equal(expected, Math.Sign(left.CompareTo(right)));
            Assert.Equal(expected < 0, left < right);
            Assert.Equal(expected > 0, left > right);
            Assert.Equal(expected <= 0, left <= right);
            Assert.Equal(expected >= 0, left >= right);
            Assert.Equal(expected == 0, left == right);
        }

        var top = Bytes32.Parse("0x8000000000000000000000000000000000000000000000000000000000000000");
        var below = Bytes32.Parse("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
        Assert.True(below < top);
    }

    [Fact]
    public void Equal_values_are_equal_with_equal_hash_codes()
    {
        var a = Bytes32.Parse(Hex);
        var b = Bytes32.FromSpan(a.ToArray());
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals((object)b));
        Assert.False(a.Equals("not a hash"));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(0, a.CompareTo(b));

        var bytes = a.ToArray();
        bytes[17] ^= 0x04;
        var c = Bytes32.FromSpan(bytes);
        Assert.True(a != c);
        Assert.NotEqual(a, c);
    }
}
