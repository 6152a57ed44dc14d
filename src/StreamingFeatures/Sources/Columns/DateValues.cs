namespace StreamingFeatures.Sources.Columns;

/// <summary>
/// <see cref="ColumnType.Date"/> values: a date is the microseconds since the Unix epoch of its midnight UTC, within
/// BigQuery's DATE range (0001-01-01 to 9999-12-31).
/// </summary>
public static class DateValues
{
    public const long MicrosPerDay = 86_400_000_000L;

    /// <summary>Length of <c>YYYY-MM-DD</c>.</summary>
    public const int IsoLength = 10;

    /// <summary>Days since the epoch of 0001-01-01 and 9999-12-31.</summary>
    public static readonly int MinDays = DateOnly.MinValue.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public static readonly int MaxDays = DateOnly.MaxValue.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private static readonly int s_epochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>Days since the epoch (Arrow date32) as the micros of that midnight; false outside BigQuery's range.</summary>
    public static bool TryFromDays(long days, out long micros)
    {
        bool valid = days >= MinDays && days <= MaxDays;
        micros = valid ? days * MicrosPerDay : 0;
        return valid;
    }

    public static long FromDate(DateOnly date) => (date.DayNumber - (long)s_epochDayNumber) * MicrosPerDay;

    /// <summary>Whether <paramref name="micros"/> is a midnight UTC within BigQuery's DATE range.</summary>
    public static bool IsDate(long micros) => micros % MicrosPerDay == 0 && micros / MicrosPerDay >= MinDays && micros / MicrosPerDay <= MaxDays;

    /// <summary>The day <paramref name="micros"/> falls in (floored), as days since the epoch.</summary>
    public static long ToDays(long micros) => Math.DivRem(micros, MicrosPerDay, out long rest) - (rest < 0 ? 1 : 0);

    /// <summary>The date of a midnight; see <see cref="IsDate"/>.</summary>
    public static DateOnly ToDateOnly(long micros) => DateOnly.FromDayNumber((int)(ToDays(micros) + s_epochDayNumber));

    /// <summary>
    /// Writes <c>YYYY-MM-DD</c> (as BigQuery's CAST(DATE AS STRING)) of the day <paramref name="micros"/> falls in;
    /// <see cref="IsoLength"/> bytes, or -1 (nothing written) outside BigQuery's range. No allocation.
    /// </summary>
    public static int WriteIso(Span<byte> destination, long micros)
    {
        long days = ToDays(micros);
        if (days < MinDays || days > MaxDays || destination.Length < IsoLength)
        {
            return -1;
        }

        DateOnly date = DateOnly.FromDayNumber((int)(days + s_epochDayNumber));
        Digits(destination[..4], date.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), date.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), date.Day);
        return IsoLength;
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
