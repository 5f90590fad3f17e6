using System.Globalization;

namespace Registry.Canonical;

/// <summary>
/// Formats a double exactly as ECMAScript's Number.prototype.toString does (ECMA-262,
/// Number::toString with radix 10), which is how RFC 8785 serializes every JSON number.
/// </summary>
public static class EcmaNumber
{
    /// <summary>Longest output: "-", 17 digits, "." and "e-324" fit easily; zeros pad up to 1e21.</summary>
    internal const int MaxLength = 32;

    /// <summary>The most significant digits a double's shortest form has.</summary>
    internal const int MaxSignificantDigits = 17;

    public static string Format(double value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        var length = Format(value, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[..length]);
    }

    /// <summary>Writes the ASCII form of <paramref name="value"/>; returns the number of bytes written.</summary>
    /// <exception cref="JcsException">The value is NaN or infinite, which JSON cannot express.</exception>
    public static int Format(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new JcsException($"The number {value.ToString(CultureInfo.InvariantCulture)} has no JSON form.");
        }

        if (destination.Length < MaxLength)
        {
            throw new ArgumentException($"The destination needs {MaxLength} bytes.", nameof(destination));
        }

        // Covers -0 as well: ECMAScript prints both zeros as "0".
        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        var position = 0;
        if (value < 0)
        {
            destination[position++] = (byte)'-';
            value = -value;
        }

        // .NET's "R" gives the shortest digit string that round-trips, choosing the one closest to
        // the value when there are several, as ECMA-262 asks. Only the layout differs, so take the
        // digits and the decimal exponent from it and lay them out again.
        Span<byte> shortest = stackalloc byte[MaxLength];
        if (!value.TryFormat(shortest, out var shortestLength, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A double did not fit its shortest form buffer.");
        }

        Span<byte> digits = stackalloc byte[MaxSignificantDigits];
        if (!TrySplitDigits(shortest[..shortestLength], digits, out var digitCount, out var pointPosition))
        {
            throw new InvalidOperationException("A double's shortest form had more than 17 digits.");
        }

        return position + Layout(digits[..digitCount], (int)pointPosition, destination[position..]);
    }

    /// <summary>
    /// Reads the significant digits s (no leading or trailing zeros) and n, the position of the
    /// decimal point relative to them, from an unsigned decimal number like "123.45", "0.001",
    /// "1.5E-07" or "1e+21": the value is 0.s × 10^n (no digits for zero). False when there are more
    /// significant digits than <paramref name="digits"/> holds. An exponent far beyond any double's
    /// range saturates rather than overflows.
    /// </summary>
    internal static bool TrySplitDigits(ReadOnlySpan<byte> text, Span<byte> digits, out int count, out long pointPosition)
    {
        long exponent = 0;
        var e = text.IndexOfAny((byte)'E', (byte)'e');
        if (e >= 0)
        {
            exponent = ReadExponent(text[(e + 1)..]);
            text = text[..e];
        }

        count = 0;
        pointPosition = 0;
        var zerosAfterLastDigit = 0;
        var seenPoint = false;
        foreach (var c in text)
        {
            if (c == '.')
            {
                seenPoint = true;
                continue;
            }

            if (count == 0 && c == '0')
            {
                // A leading zero moves the point left when it comes after it.
                if (seenPoint)
                {
                    pointPosition--;
                }

                continue;
            }

            if (!seenPoint)
            {
                pointPosition++;
            }

            // Zeros count only once a digit other than zero follows them.
            if (c == '0')
            {
                zerosAfterLastDigit++;
                continue;
            }

            if (count + zerosAfterLastDigit >= digits.Length)
            {
                return false;
            }

            digits.Slice(count, zerosAfterLastDigit).Fill((byte)'0');
            count += zerosAfterLastDigit;
            zerosAfterLastDigit = 0;
            digits[count++] = c;
        }

        pointPosition += exponent;
        return true;
    }

    private static long ReadExponent(ReadOnlySpan<byte> text)
    {
        const long saturated = 1L << 40;
        var negative = text.Length > 0 && text[0] == '-';
        if (text.Length > 0 && text[0] is (byte)'-' or (byte)'+')
        {
            text = text[1..];
        }

        long value = 0;
        foreach (var c in text)
        {
            value = Math.Min(saturated, (value * 10) + (c - '0'));
        }

        return negative ? -value : value;
    }

    /// <summary>ECMA-262 Number::toString steps 6 to 10, with k digits and point position n.</summary>
    private static int Layout(ReadOnlySpan<byte> digits, int n, Span<byte> destination)
    {
        var k = digits.Length;
        var position = 0;

        if (k <= n && n <= 21)
        {
            // An integer: the digits then n - k zeros.
            digits.CopyTo(destination);
            position = k;
            destination.Slice(position, n - k).Fill((byte)'0');
            return position + n - k;
        }

        if (0 < n && n <= 21)
        {
            // A point inside the digits.
            digits[..n].CopyTo(destination);
            destination[n] = (byte)'.';
            digits[n..].CopyTo(destination[(n + 1)..]);
            return k + 1;
        }

        if (-6 < n && n <= 0)
        {
            // "0." then -n zeros then the digits.
            destination[0] = (byte)'0';
            destination[1] = (byte)'.';
            destination.Slice(2, -n).Fill((byte)'0');
            digits.CopyTo(destination[(2 - n)..]);
            return 2 - n + k;
        }

        // Exponential: d[.ddd]e±x with x = n - 1.
        destination[position++] = digits[0];
        if (k > 1)
        {
            destination[position++] = (byte)'.';
            digits[1..].CopyTo(destination[position..]);
            position += k - 1;
        }

        destination[position++] = (byte)'e';
        var exponent = n - 1;
        destination[position++] = exponent < 0 ? (byte)'-' : (byte)'+';
        exponent = Math.Abs(exponent);
        if (!exponent.TryFormat(destination[position..], out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("An exponent did not fit its buffer.");
        }

        return position + written;
    }
}
