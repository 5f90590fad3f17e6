using System.Globalization;
using System.Numerics;
using System.Text;
using Registry.Hashing;

namespace Registry.Verification.Rpc;

/// <summary>
/// The few pieces of the Solidity ABI that reading the registry needs: static words, one dynamic
/// <c>bytes32[]</c> argument, and a <c>string</c> in an answer. Everything is 32-byte words.
/// </summary>
internal static class Abi
{
    private const int Word = 32;

    /// <summary>The first four bytes of keccak256 of a function's signature.</summary>
    public static byte[] Selector(string signature) => Keccak256.Hash(Encoding.ASCII.GetBytes(signature)).ToArray()[..4];

    /// <summary>keccak256 of an event's signature: its first log topic.</summary>
    public static string Topic(string signature) => Keccak256.Hash(Encoding.ASCII.GetBytes(signature)).ToString();

    /// <summary>An address as a 32-byte word or log topic: left-padded with zeros.</summary>
    public static Bytes32 Address(string address)
    {
        var bytes = new byte[Word];
        Convert.FromHexString(address.AsSpan(2)).CopyTo(bytes, Word - 20);
        return Bytes32.FromSpan(bytes);
    }

    /// <summary>Call data: the selector, static arguments as words, then an optional trailing <c>bytes32[]</c>.</summary>
    public static string Call(byte[] selector, IReadOnlyList<Bytes32> words, IReadOnlyList<Bytes32>? array = null)
    {
        var text = new StringBuilder("0x").Append(Convert.ToHexStringLower(selector));
        foreach (var word in words) Append(text, word);
        if (array is null) return text.ToString();
        // The head holds the array's offset, counted from the start of the arguments.
        Append(text, Uint((ulong)(words.Count + 1) * Word));
        Append(text, Uint((ulong)array.Count));
        foreach (var item in array) Append(text, item);
        return text.ToString();
    }

    private static void Append(StringBuilder text, Bytes32 word) => text.Append(word.ToString().AsSpan(2));

    private static Bytes32 Uint(ulong value)
    {
        var bytes = new byte[Word];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(Word - 8), value);
        return Bytes32.FromSpan(bytes);
    }

    /// <summary>An answer (0x-prefixed hex) read word by word.</summary>
    public sealed class Answer
    {
        private readonly byte[] _data;

        public Answer(string hex)
        {
            if (!hex.StartsWith("0x", StringComparison.Ordinal) || hex.Length % 2 != 0)
                throw new FormatException($"The node answered '{Shorten(hex)}', not hex data.");
            _data = Convert.FromHexString(hex.AsSpan(2));
        }

        public int Words => _data.Length / Word;

        public ReadOnlySpan<byte> WordAt(int index)
        {
            if ((index + 1) * Word > _data.Length)
                throw new FormatException($"The answer has {Words} words; word {index} is missing (is this the CredentialRegistry contract, version 3?).");
            return _data.AsSpan(index * Word, Word);
        }

        public bool Bool(int index) => WordAt(index).ContainsAnyExcept((byte)0);

        /// <summary>A <c>bytes32</c>, as it is.</summary>
        public Bytes32 FixedBytes(int index) => Bytes32.FromSpan(WordAt(index));

        /// <summary>An unsigned integer that must fit in 64 bits (uint64, uint32 and smaller).</summary>
        public ulong UInt64(int index)
        {
            var word = WordAt(index);
            if (word[..24].ContainsAnyExcept((byte)0)) throw new FormatException($"Word {index} of the answer does not fit in 64 bits.");
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(word[24..]);
        }

        /// <summary>A dynamic <c>string</c> whose offset is in word <paramref name="index"/>.</summary>
        public string String(int index)
        {
            var offset = UInt64(index);
            if (offset % Word != 0 || offset / Word > int.MaxValue) throw new FormatException("The answer's string offset is not a word boundary.");
            var start = (int)(offset / Word);
            var length = UInt64(start);
            if (length > (ulong)(_data.Length - (start + 1) * Word)) throw new FormatException("The answer's string runs past its end.");
            return Encoding.UTF8.GetString(_data, (start + 1) * Word, (int)length);
        }
    }

    /// <summary>A JSON-RPC quantity ("0x1a") as a number.</summary>
    public static long Quantity(string? hex)
    {
        if (hex is null || !hex.StartsWith("0x", StringComparison.Ordinal))
            throw new FormatException($"'{hex}' is not a JSON-RPC quantity.");
        var value = BigInteger.Parse("0" + hex[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return value <= long.MaxValue ? (long)value : throw new FormatException($"Quantity {hex} is too large.");
    }

    public static string Quantity(long value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
