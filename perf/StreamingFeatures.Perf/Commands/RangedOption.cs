using System.CommandLine;
using System.Globalization;
using System.Numerics;

namespace StreamingFeatures.Perf.Commands;

/// <summary>Whole-number options with their default and allowed range, each error naming the flag, the value and the range.</summary>
internal static class RangedOption
{
    public static Option<T> Create<T>(string name, T defaultValue, T min, T max, string description)
        where T : struct, INumber<T>
    {
        var option = new Option<T>(name)
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"{description}, {min} to {max}."),
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            T value = result.GetValueOrDefault<T>();
            if (value < min || value > max)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} is {value}; allowed: {min} to {max}."));
            }
        });
        return option;
    }

    /// <summary>A path option; when given, it must not be blank.</summary>
    public static Option<string?> Path(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string?>()))
            {
                result.AddError($"{name} needs a path.");
            }
        });
        return option;
    }
}
