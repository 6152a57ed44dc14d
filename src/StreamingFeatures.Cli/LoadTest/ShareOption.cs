using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>
/// The gate's limits take a plain number (a share of the baseline's figure): System.CommandLine's own error would
/// name <c>System.Nullable`1[System.Double]</c>, and NaN or Infinity would pass it.
/// </summary>
internal static class ShareOption
{
    public static Option<double?> Share(this Option<double?> option, double min, double max)
    {
        option.CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && value >= min && value <= max)
            {
                return value;
            }

            string name = result.Parent is OptionResult parent ? parent.Option.Name : result.Argument.Name;
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} is '{text}'; allowed: a number from {min} to {max}, e.g. 0.1 for 10 %."));
            return null;
        };
        return option;
    }
}
