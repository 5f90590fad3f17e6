namespace Registry.Signatures;

/// <summary>
/// Base58 with the Bitcoin alphabet, as multibase's <c>z</c> prefix means it: each leading zero
/// byte is a leading <c>1</c>, the rest is the big-endian number in base 58.
/// </summary>
public static class Base58Btc
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private static readonly sbyte[] Digits = BuildDigits();

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var zeros = 0;
        while (zeros < bytes.Length && bytes[zeros] == 0)
            zeros++;
        // log(256) / log(58) < 1.37: enough base-58 digits for the number.
        Span<byte> digits = bytes.Length <= 256 ? stackalloc byte[bytes.Length * 137 / 100 + 1] : new byte[bytes.Length * 137 / 100 + 1];
        var length = 0;
        foreach (var b in bytes[zeros..])
        {
            var carry = (int)b;
            for (var i = 0; i < length; i++)
            {
                carry += digits[i] << 8;
                digits[i] = (byte)(carry % 58);
                carry /= 58;
            }
            while (carry > 0)
            {
                digits[length++] = (byte)(carry % 58);
                carry /= 58;
            }
        }
        var chars = new char[zeros + length];
        chars.AsSpan(0, zeros).Fill('1');
        for (var i = 0; i < length; i++)
            chars[zeros + i] = Alphabet[digits[length - 1 - i]];
        return new string(chars);
    }

    /// <summary>Decodes <paramref name="text"/>; false when a character is not in the alphabet.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        var zeros = 0;
        while (zeros < text.Length && text[zeros] == '1')
            zeros++;
        // log(58) / log(256) < 0.733
        var number = new byte[text.Length * 733 / 1000 + 1];
        var length = 0;
        foreach (var c in text[zeros..])
        {
            var digit = c < Digits.Length ? Digits[c] : -1;
            if (digit < 0)
                return false;
            var carry = digit;
            for (var i = 0; i < length; i++)
            {
                carry += number[i] * 58;
                number[i] = (byte)carry;
                carry >>= 8;
            }
            while (carry > 0)
            {
                number[length++] = (byte)carry;
                carry >>= 8;
            }
        }
        bytes = new byte[zeros + length];
        for (var i = 0; i < length; i++)
            bytes[zeros + i] = number[length - 1 - i];
        return true;
    }

    private static sbyte[] BuildDigits()
    {
        var digits = new sbyte[128];
        Array.Fill(digits, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
            digits[Alphabet[i]] = (sbyte)i;
        return digits;
    }
}
