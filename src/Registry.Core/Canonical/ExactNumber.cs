using System.Globalization;

namespace Registry.Canonical;

/// <summary>
/// Decides whether a JSON number keeps its value through canonicalisation. JCS (RFC 8785) reads every
/// number as the nearest IEEE 754 double and writes that double's shortest round-trip form; a number
/// is exact when its decimal value equals the decimal value of what JCS writes for it.
/// </summary>
/// <remarks>
/// Only the notation may change: <c>1.0</c>, <c>1e2</c>, <c>-0</c>, <c>0.1</c> and <c>1e21</c> are exact
/// (JCS writes <c>1</c>, <c>100</c>, <c>0</c>, <c>0.1</c>, <c>1e+21</c>). Not exact: <c>9007199254740993</c>
/// (JCS writes <c>9007199254740992</c>), <c>1e-400</c> (<c>0</c>), <c>1e400</c> (no double at all), and even
/// <c>0.1000000000000000055511151231257827</c>, the exact value of the double nearest to 0.1, because
/// JCS writes that double as <c>0.1</c>.
/// </remarks>
public static class ExactNumber
{
    /// <summary>True when the JSON number <paramref name="literal"/> survives JCS with its value unchanged.</summary>
    /// <param name="value">The double that JCS reads the number as (infinite when it is beyond a double's range).</param>
    public static bool IsExact(ReadOnlySpan<byte> literal, out double value)
    {
        if (!double.TryParse(literal, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
            return false;
        if (IsSmallInteger(literal))
            return true;

        Span<byte> canonical = stackalloc byte[EcmaNumber.MaxLength];
        var written = canonical[..EcmaNumber.Format(value, canonical)];
        // A number with more significant digits than a shortest form can have is never exact.
        Span<byte> submittedDigits = stackalloc byte[EcmaNumber.MaxSignificantDigits];
        Span<byte> writtenDigits = stackalloc byte[EcmaNumber.MaxSignificantDigits];
        if (!EcmaNumber.TrySplitDigits(Unsigned(literal, out var submittedNegative), submittedDigits, out var submittedCount, out var submittedPoint)
            || !EcmaNumber.TrySplitDigits(Unsigned(written, out var writtenNegative), writtenDigits, out var writtenCount, out var writtenPoint))
            return false;
        if (submittedCount == 0 || writtenCount == 0)
            return submittedCount == writtenCount; // zero, whatever its sign or notation
        return submittedNegative == writtenNegative && submittedPoint == writtenPoint
            && submittedDigits[..submittedCount].SequenceEqual(writtenDigits[..writtenCount]);
    }

    /// <summary>An integer of at most 15 digits is below 2^53, so a double holds it and JCS writes it as it is.</summary>
    private static bool IsSmallInteger(ReadOnlySpan<byte> literal)
    {
        var digits = Unsigned(literal, out _);
        return digits.Length is > 0 and <= 15 && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    private static ReadOnlySpan<byte> Unsigned(ReadOnlySpan<byte> number, out bool negative)
    {
        negative = number.Length > 0 && number[0] == '-';
        return negative ? number[1..] : number;
    }
}
