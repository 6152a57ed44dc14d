namespace StreamingFeatures;

/// <summary>Range checks for options classes: each failure names the setting, its value and the allowed range.</summary>
internal static class OptionChecks
{
    public static void Range<T>(List<string> errors, string name, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            errors.Add($"{name} is {value}; allowed {min} to {max}.");
        }
    }

    public static void Range<T>(List<string> errors, string name, T value, Limit<T> limit)
        where T : IComparable<T> =>
        Range(errors, name, value, limit.Min, limit.Max);
}
