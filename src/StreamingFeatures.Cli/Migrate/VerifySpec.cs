using System.Globalization;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>Parses <c>--verify none|sample:RATE|full</c>.</summary>
internal static class VerifySpec
{
    public static bool TryParse(string text, out VerificationOptions options, out string error)
    {
        error = string.Empty;
        options = new VerificationOptions();
        string value = text.Trim().ToLowerInvariant();
        if (value == "none")
        {
            options = new VerificationOptions { Mode = VerificationMode.None };
            return true;
        }

        if (value == "full")
        {
            options = new VerificationOptions { Mode = VerificationMode.Full };
            return true;
        }

        if (value.StartsWith("sample:", StringComparison.Ordinal)
            && double.TryParse(value["sample:".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out double rate)
            && rate is > 0 and <= 1)
        {
            options = new VerificationOptions { Mode = VerificationMode.Sampled, SampleRate = rate };
            return true;
        }

        error = $"--verify is '{text}'; allowed: none, full, or sample:RATE with 0 < RATE <= 1 (e.g. sample:0.01).";
        return false;
    }
}
