using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Registry.Hashing;

namespace Registry.Tests.Hashing;

public class Keccak256Tests
{
    // Input i of length n is the bytes 0, 1, 2, … (mod 256); hashes from @noble/hashes keccak_256.
    [Theory]
    [InlineData(0, "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData(1, "0xbc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a")]
    [InlineData(31, "0x3e50547cf72e8583ee91462f9d99fe624f53282f78e1a5ec2347b1d0123d0d9b")]
    [InlineData(32, "0x8ae1aa597fa146ebd3aa2ceddf360668dea5e526567e92b0321816a4e895bd2d")]
    [InlineData(64, "0x002030bde3d4cf89919649775cd71875c4d0ab1708a380e03fefc3a28aa24831")]
    [InlineData(135, "0xcbdfd9dee5faad3818d6b06f95a219fd290b0e1706f6a82e5a595b9ce9faca62")]
    [InlineData(136, "0x7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e")]
    [InlineData(137, "0xac73d4fae68b8453f764007c1a20ce95994187861f0c3227a3a8e99a73a3b1db")]
    [InlineData(200, "0xbfb0aa97863e797943cf7c33bb7e880bb4543f3d2703c0923c6901c2af57b890")]
    [InlineData(272, "0xfdf2ec49e749960d3c8521a0219af8d03e30e2b3bf19bd16150ee0eaf133d66e")]
    [InlineData(1000, "0xaca79e4146e30eb1c733f6d6060d72471c36ea4e01ebf45d7f4916249c2bbd82")]
    public void Hashes_counting_bytes_as_other_implementations_do(int length, string expected)
    {
        var input = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        Assert.Equal(expected, Keccak256.Hash(input).ToString());
    }

    [Theory]
    [InlineData("abc", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("The quick brown fox jumps over the lazy dog", "0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")]
    public void Hashes_text_as_ethereum_does(string text, string expected)
    {
        Assert.Equal(expected, Keccak256.Hash(Encoding.UTF8.GetBytes(text)).ToString());
    }

    [Fact]
    public void Is_keccak_and_not_sha3()
    {
        // SHA3-256 of the empty string is 0xa7ffc6f8…; Ethereum's keccak256 is 0xc5d24601….
        Assert.NotEqual("0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", Keccak256.Hash([]).ToString());
    }

    [Fact]
    public void Matches_bouncy_castle_for_every_length_up_to_1000()
    {
        var random = new Random(1);
        var digest = new KeccakDigest(256);
        var expected = new byte[32];
        var actual = new byte[32];
        for (var length = 0; length <= 1000; length++)
        {
            var input = new byte[length];
            random.NextBytes(input);
            digest.BlockUpdate(input, 0, input.Length);
            digest.DoFinal(expected, 0);

            Keccak256.Hash(input, actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"length {length}");
            Assert.Equal(Bytes32.FromSpan(expected), Keccak256.Hash(input));
        }
    }

    [Fact]
    public void Fast_paths_equal_the_general_hash()
    {
        var random = new Random(2);
        var bytes = new byte[64];
        for (var i = 0; i < 200; i++)
        {
            random.NextBytes(bytes);
            var left = Bytes32.FromSpan(bytes.AsSpan(0, 32));
            var right = Bytes32.FromSpan(bytes.AsSpan(32));
            Assert.Equal(Keccak256.Hash(bytes), Keccak256.HashPair(left, right));
            Assert.Equal(Keccak256.Hash(bytes.AsSpan(0, 32)), Keccak256.Hash(left));
        }
    }

    [Fact]
    public void Two_parts_hash_as_the_bytes_joined_wherever_they_are_cut()
    {
        var random = new Random(3);
        var bytes = new byte[2 * Keccak256.RateBytes + 40];
        random.NextBytes(bytes);
        for (var length = 0; length <= bytes.Length; length += length < 300 ? 1 : 7)
            foreach (var cut in new[] { 0, 1, 31, 32, 33, length / 2, Keccak256.RateBytes - 1, Keccak256.RateBytes, Keccak256.RateBytes + 1, length })
                if (cut <= length)
                    Assert.Equal(Keccak256.Hash(bytes.AsSpan(0, length)), Keccak256.HashConcatenated(bytes.AsSpan(0, cut), bytes.AsSpan(cut, length - cut)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(37)]
    public void Batches_equal_one_hash_at_a_time(int count)
    {
        var random = new Random(count);
        var bytes = new byte[32];
        var values = new Bytes32[2 * count];
        for (var i = 0; i < values.Length; i++)
        {
            random.NextBytes(bytes);
            values[i] = Bytes32.FromSpan(bytes);
        }

        var each = new Bytes32[values.Length];
        Keccak256.HashEach(values, each);
        Assert.Equal(values.Select(v => Keccak256.Hash(v.ToArray())), each);

        var inPlace = (Bytes32[])values.Clone();
        Keccak256.HashEach(inPlace, inPlace);
        Assert.Equal(each, inPlace);

        var pairs = new Bytes32[count];
        Keccak256.HashPairs(values, pairs, smallerFirst: false);
        Assert.Equal(Enumerable.Range(0, count).Select(i => Keccak256.Hash([.. values[2 * i].ToArray(), .. values[2 * i + 1].ToArray()])), pairs);

        Keccak256.HashPairs(values, pairs, smallerFirst: true);
        Assert.Equal(
            Enumerable.Range(0, count).Select(i => values[2 * i] <= values[2 * i + 1]
                ? Keccak256.HashPair(values[2 * i], values[2 * i + 1])
                : Keccak256.HashPair(values[2 * i + 1], values[2 * i])),
            pairs);

        if (count > 0)
        {
            Assert.Throws<ArgumentException>(() => Keccak256.HashEach(values, new Bytes32[values.Length - 1]));
            Assert.Throws<ArgumentException>(() => Keccak256.HashPairs(values, new Bytes32[count - 1], smallerFirst: true));
            Assert.Throws<ArgumentException>(() => Keccak256.HashPairs(values.AsSpan(1), new Bytes32[count], smallerFirst: true));
        }
    }

    [Fact]
    public void Writes_into_a_larger_output_and_refuses_a_smaller_one()
    {
        var output = new byte[40];
        Keccak256.Hash("abc"u8, output);
        Assert.Equal(Keccak256.Hash("abc"u8).ToArray(), output[..32]);
        Assert.All(output[32..], b => Assert.Equal(0, b));
        Assert.Throws<ArgumentException>(() => Keccak256.Hash("abc"u8, new byte[31]));
    }

    [Fact]
    public void Gives_the_same_hashes_from_many_threads()
    {
        var inputs = Enumerable.Range(0, 2000).Select(i => Encoding.UTF8.GetBytes(new string('x', i % 300) + i)).ToArray();
        var sequential = inputs.Select(input => Keccak256.Hash(input)).ToArray();
        var parallel = new Bytes32[inputs.Length];
        Parallel.For(0, inputs.Length, i => parallel[i] = Keccak256.Hash(inputs[i]));
        Assert.Equal(sequential, parallel);
    }
}
