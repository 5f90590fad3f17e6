using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Registry.Hashing;

/// <summary>
/// A 32-byte value: a Keccak-256 hash, a Merkle node, a digest or a salt.
/// </summary>
/// <remarks>
/// The bytes are held as four big-endian 64-bit words, so comparing the words in order compares
/// the bytes lexicographically, which is also the order of the values as unsigned 256-bit
/// integers. That is the order OpenZeppelin uses to sort leaves and to pair Merkle nodes.
/// </remarks>
public readonly struct Bytes32 : IEquatable<Bytes32>, IComparable<Bytes32>
{
    public const int Length = 32;

    private const int HexLength = 2 + 2 * Length;

    // Word 0 holds bytes 0..7 (byte 0 most significant), word 3 holds bytes 24..31.
    private readonly ulong _w0;
    private readonly ulong _w1;
    private readonly ulong _w2;
    private readonly ulong _w3;

    internal Bytes32(ulong w0, ulong w1, ulong w2, ulong w3)
    {
        _w0 = w0;
        _w1 = w1;
        _w2 = w2;
        _w3 = w3;
    }

    public static Bytes32 Zero => default;

    public bool IsZero => (_w0 | _w1 | _w2 | _w3) == 0;

    internal ulong Word0 => _w0;
    internal ulong Word1 => _w1;
    internal ulong Word2 => _w2;
    internal ulong Word3 => _w3;

    /// <summary>Reads exactly 32 bytes.</summary>
    public static Bytes32 FromSpan(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"Expected exactly {Length} bytes, got {bytes.Length}.", nameof(bytes));
        }

        return new Bytes32(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
    }

    /// <summary>Writes the 32 bytes to the start of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"The destination needs {Length} bytes, it has {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _w1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _w2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _w3);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>
    /// Parses "0x" followed by exactly 64 hexadecimal digits, in either case.
    /// </summary>
    /// <exception cref="FormatException">The text is not of that form; the message says why.</exception>
    public static Bytes32 Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var error = TryParseCore(text, out var value);
        return error is null ? value : throw new FormatException(error);
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out Bytes32 value)
    {
        if (text is null)
        {
            value = default;
            return false;
        }

        return TryParseCore(text, out value) is null;
    }

    /// <summary>Parses <paramref name="text"/>; returns null on success, or why it failed.</summary>
    private static string? TryParseCore(ReadOnlySpan<char> text, out Bytes32 value)
    {
        value = default;
        if (text.Length < 2 || text[0] != '0' || text[1] != 'x')
        {
            return "A 32-byte hex value must start with \"0x\".";
        }

        if (text.Length != HexLength)
        {
            return $"A 32-byte hex value has 64 hex digits after \"0x\"; this one has {text.Length - 2}.";
        }

        Span<ulong> words = stackalloc ulong[4];
        for (var w = 0; w < 4; w++)
        {
            ulong word = 0;
            var start = 2 + w * 16;
            for (var i = start; i < start + 16; i++)
            {
                var nibble = HexValue(text[i]);
                if (nibble < 0)
                {
                    return $"A 32-byte hex value has only hex digits after \"0x\"; '{text[i]}' at position {i} is not one.";
                }

                word = (word << 4) | (uint)nibble;
            }

            words[w] = word;
        }

        value = new Bytes32(words[0], words[1], words[2], words[3]);
        return null;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>"0x" followed by 64 lowercase hex digits.</summary>
    public override string ToString() => string.Create(HexLength, this, static (chars, value) =>
    {
        chars[0] = '0';
        chars[1] = 'x';
        WriteHex(chars[2..], value._w0);
        WriteHex(chars[18..], value._w1);
        WriteHex(chars[34..], value._w2);
        WriteHex(chars[50..], value._w3);
    });

    private static void WriteHex(Span<char> destination, ulong word)
    {
        const string digits = "0123456789abcdef";
        for (var i = 15; i >= 0; i--)
        {
            destination[i] = digits[(int)(word & 0xF)];
            word >>= 4;
        }
    }

    public bool Equals(Bytes32 other) =>
        _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Bytes32 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3);

    /// <summary>Lexicographic byte order, which is also unsigned 256-bit integer order.</summary>
    public int CompareTo(Bytes32 other)
    {
        if (_w0 != other._w0)
        {
            return _w0 < other._w0 ? -1 : 1;
        }

        if (_w1 != other._w1)
        {
            return _w1 < other._w1 ? -1 : 1;
        }

        if (_w2 != other._w2)
        {
            return _w2 < other._w2 ? -1 : 1;
        }

        if (_w3 != other._w3)
        {
            return _w3 < other._w3 ? -1 : 1;
        }

        return 0;
    }

    public static bool operator ==(Bytes32 left, Bytes32 right) => left.Equals(right);

    public static bool operator !=(Bytes32 left, Bytes32 right) => !left.Equals(right);

    public static bool operator <(Bytes32 left, Bytes32 right) => left.CompareTo(right) < 0;

    public static bool operator >(Bytes32 left, Bytes32 right) => left.CompareTo(right) > 0;

    public static bool operator <=(Bytes32 left, Bytes32 right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Bytes32 left, Bytes32 right) => left.CompareTo(right) >= 0;
}
