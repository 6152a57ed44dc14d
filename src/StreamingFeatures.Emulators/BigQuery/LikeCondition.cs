using System.Text;
using Apache.Arrow;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// <c>column LIKE 'pattern'</c> on a STRING or BYTES column, case-sensitive as in BigQuery: <c>%</c> matches any
/// run of characters (bytes for BYTES), <c>_</c> exactly one, and a backslash makes the next <c>%</c>, <c>_</c> or
/// <c>\</c> literal. Matched on the UTF-8 bytes without allocating, backtracking only to the last <c>%</c>.
/// </summary>
internal sealed class LikeCondition : RowCondition
{
    private const byte Literal = 0;
    private const byte One = 1;
    private const byte Many = 2;

    private readonly int _ordinal;
    private readonly bool _characters;
    private readonly byte[] _bytes;
    private readonly byte[] _kinds;

    private LikeCondition(int ordinal, bool characters, byte[] bytes, byte[] kinds)
    {
        _ordinal = ordinal;
        _characters = characters;
        _bytes = bytes;
        _kinds = kinds;
    }

    /// <summary>The condition for <paramref name="pattern"/>; <paramref name="characters"/> is true for STRING (<c>_</c> is one code point).</summary>
    /// <exception cref="FormatException">The pattern ends with a lone backslash.</exception>
    public static LikeCondition Create(int ordinal, bool characters, string pattern)
    {
        var bytes = new List<byte>();
        var kinds = new List<byte>();
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c is '%' or '_')
            {
                bytes.Add(0);
                kinds.Add(c == '%' ? Many : One);
                continue;
            }

            if (c == '\\')
            {
                if (++i == pattern.Length)
                {
                    throw new FormatException($"LIKE pattern '{pattern}' ends with a backslash; escape it as \\\\ to match one.");
                }

                c = pattern[i];
            }

            int length = char.IsHighSurrogate(c) && i + 1 < pattern.Length
                ? Encoding.UTF8.GetBytes(pattern.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(pattern.AsSpan(i, 1), utf8);
            for (int b = 0; b < length; b++)
            {
                bytes.Add(utf8[b]);
                kinds.Add(Literal);
            }
        }

        return new LikeCondition(ordinal, characters, [.. bytes], [.. kinds]);
    }

    public override bool? Evaluate(RecordBatch batch, int index)
    {
        var values = (BinaryArray)batch.Column(_ordinal);
        return values.IsNull(index) ? null : Matches(values.GetBytes(index));
    }

    private bool Matches(ReadOnlySpan<byte> text)
    {
        int t = 0;
        int p = 0;
        int star = -1;
        int resume = 0;
        while (t < text.Length)
        {
            if (p < _kinds.Length && _kinds[p] == Literal && _bytes[p] == text[t])
            {
                p++;
                t++;
            }
            else if (p < _kinds.Length && _kinds[p] == One)
            {
                p++;
                t += Step(text, t);
            }
            else if (p < _kinds.Length && _kinds[p] == Many)
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                // Let the last % take one more character and try the rest of the pattern again from there.
                p = star + 1;
                resume += Step(text, resume);
                t = resume;
            }
            else
            {
                return false;
            }
        }

        while (p < _kinds.Length && _kinds[p] == Many)
        {
            p++;
        }

        return p == _kinds.Length;
    }

    /// <summary>The bytes of the character at <paramref name="at"/>: one for BYTES, its UTF-8 sequence for STRING.</summary>
    private int Step(ReadOnlySpan<byte> text, int at)
    {
        if (!_characters)
        {
            return 1;
        }

        int length = 1;
        while (at + length < text.Length && (text[at + length] & 0xC0) == 0x80)
        {
            length++;
        }

        return length;
    }
}
