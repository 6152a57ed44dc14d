using System.Globalization;
using System.Text;

namespace StreamingFeatures.Sources.Columns;

/// <summary>
/// Exact decimals as unscaled <see cref="Int128"/> and a scale: text in and out (UTF-8, no allocation) and the
/// nearest double. Text is what BigQuery's <c>CAST(NUMERIC AS STRING)</c> prints: no exponent, no <c>+</c>, trailing
/// fraction zeros and a bare point dropped, <c>0</c> for zero (1.5, -0.000000001, 99999999999999999999999999999.999999999).
/// </summary>
public static class NumericText
{
    /// <summary>Significant digits a value may have: decimal128's precision.</summary>
    public const int MaxPrecision = 38;

    /// <summary>
    /// Longest text: a sign, then 39 digits (|Int128.MinValue|) with a point, or <c>0.</c> and 38 fraction digits.
    /// </summary>
    public const int MaxTextBytes = 42;

    // 10^0 .. 10^38; 10^38 bounds a 38-digit magnitude.
    private static readonly UInt128[] s_powers = Powers();

    // Powers of ten a double holds exactly.
    private static readonly double[] s_double =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>10^<paramref name="exponent"/>, 0 to 38.</summary>
    public static UInt128 Pow10(int exponent) => s_powers[exponent];

    /// <summary>Whether <paramref name="unscaled"/> has at most <see cref="MaxPrecision"/> digits.</summary>
    public static bool FitsPrecision(Int128 unscaled) => Magnitude(unscaled) < s_powers[MaxPrecision];

    /// <summary>Writes the value as BigQuery prints it; returns the bytes written (at most <see cref="MaxTextBytes"/>).</summary>
    public static int Format(Int128 unscaled, int scale, Span<byte> destination)
    {
        UInt128 magnitude = Magnitude(unscaled);
        if (magnitude == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        Span<byte> digits = stackalloc byte[40];
        if (!magnitude.TryFormat(digits, out int count, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("40 bytes hold any UInt128.");
        }

        // Drop trailing zeros of the fraction: they carry no value in CAST(NUMERIC AS STRING).
        int fraction = scale;
        while (fraction > 0 && digits[count - 1] == '0')
        {
            count--;
            fraction--;
        }

        int at = 0;
        if (unscaled < 0)
        {
            destination[at++] = (byte)'-';
        }

        if (fraction == 0)
        {
            digits[..count].CopyTo(destination[at..]);
            return at + count;
        }

        if (count > fraction)
        {
            digits[..(count - fraction)].CopyTo(destination[at..]);
            at += count - fraction;
            destination[at++] = (byte)'.';
            digits[(count - fraction)..count].CopyTo(destination[at..]);
            return at + fraction;
        }

        destination[at++] = (byte)'0';
        destination[at++] = (byte)'.';
        destination.Slice(at, fraction - count).Fill((byte)'0');
        at += fraction - count;
        digits[..count].CopyTo(destination[at..]);
        return at + count;
    }

    /// <summary>The text of <see cref="Format"/> as a string (messages, tests; not for the hot path).</summary>
    public static string ToString(Int128 unscaled, int scale)
    {
        Span<byte> text = stackalloc byte[MaxTextBytes];
        return Encoding.ASCII.GetString(text[..Format(unscaled, scale, text)]);
    }

    /// <summary>Length of <see cref="Format"/>'s text.</summary>
    public static int TextLength(Int128 unscaled, int scale)
    {
        Span<byte> text = stackalloc byte[MaxTextBytes];
        return Format(unscaled, scale, text);
    }

    /// <summary>
    /// Parses <c>[+-]digits[.digits]</c> (either side of the point may be empty, not both) at <paramref name="scale"/>.
    /// False when it is not such text, has more than <paramref name="scale"/> fraction digits other than trailing zeros
    /// (no rounding), or more than <see cref="MaxPrecision"/> significant digits.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, int scale, out Int128 unscaled)
    {
        unscaled = 0;
        ReadOnlySpan<byte> text = utf8.Trim(" \t"u8);
        bool negative = text.Length > 0 && text[0] == '-';
        if (text.Length > 0 && text[0] is (byte)'-' or (byte)'+')
        {
            text = text[1..];
        }

        UInt128 value = 0;
        int fraction = -1;
        int digits = 0;
        foreach (byte b in text)
        {
            if (b == '.' && fraction < 0)
            {
                fraction = 0;
                continue;
            }

            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            digits++;
            if (fraction >= 0 && ++fraction > scale)
            {
                if (b != '0')
                {
                    return false;
                }

                continue;
            }

            value = (value * 10) + (uint)(b - '0');
            if (value >= s_powers[MaxPrecision])
            {
                return false;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        for (int pad = Math.Max(fraction, 0); pad < scale; pad++)
        {
            value *= 10;
            if (value >= s_powers[MaxPrecision])
            {
                return false;
            }
        }

        unscaled = negative ? -(Int128)value : (Int128)value;
        return true;
    }

    /// <summary>
    /// The double nearest the exact value (ties to even), as parsing its text would give. A double has 53 bits
    /// (15–17 significant digits), so a NUMERIC with more digits is rounded; integers up to 2^53 are exact.
    /// </summary>
    public static double ToDouble(Int128 unscaled, int scale)
    {
        // Both operands exact in a double, so the one rounding of the division is the correct one (Clinger's fast path).
        if (scale <= 22 && Magnitude(unscaled) <= (UInt128)(1UL << 53))
        {
            return (double)(long)unscaled / s_double[scale];
        }

        Span<byte> text = stackalloc byte[MaxTextBytes];
        int length = Format(unscaled, scale, text);
        return double.Parse(text[..length], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// <paramref name="unscaled"/> at scale <paramref name="from"/> re-expressed at scale <paramref name="to"/>; false
    /// when that loses digits or exceeds <see cref="MaxPrecision"/>.
    /// </summary>
    public static bool TryRescale(Int128 unscaled, int from, int to, out Int128 result)
    {
        result = 0;
        UInt128 magnitude = Magnitude(unscaled);
        if (to >= from)
        {
            UInt128 factor = s_powers[to - from];
            if (magnitude != 0 && magnitude > (s_powers[MaxPrecision] - 1) / factor)
            {
                return false;
            }

            magnitude *= factor;
        }
        else
        {
            (magnitude, UInt128 rest) = UInt128.DivRem(magnitude, s_powers[from - to]);
            if (rest != 0)
            {
                return false;
            }
        }

        result = unscaled < 0 ? -(Int128)magnitude : (Int128)magnitude;
        return true;
    }

    private static UInt128 Magnitude(Int128 value) => value < 0 ? (UInt128)(-(value + 1)) + 1 : (UInt128)value;

    private static UInt128[] Powers()
    {
        var powers = new UInt128[MaxPrecision + 1];
        powers[0] = 1;
        for (int i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
