using System.Globalization;
using System.Text.RegularExpressions;
using StreamingFeatures.IntegrationTests.Cli;

namespace StreamingFeatures.IntegrationTests.Faults;

/// <summary>Assertions on how a job reports a call that gave up.</summary>
internal static class OutageAssert
{
    /// <summary>
    /// The output names the call (<paramref name="call"/>, a regular expression), how long it tried (no longer than
    /// <paramref name="maxSeconds"/> plus one attempt's slack) and how often, and the connection error; and shows no
    /// AggregateException or stack trace. Spectre.Console wraps lines, so whitespace is ignored.
    /// </summary>
    public static void GaveUp(CliResult result, string call, double maxSeconds)
    {
        string output = Regex.Replace(result.Output, @"\s+", string.Empty);
        string pattern = Regex.Replace(call, @"\\? ", string.Empty) + @"gaveupafter(?<s>\d+(\.\d)?)sand(?<n>\d+)attempts:(Unavailable|DeadlineExceeded):";
        Match match = Regex.Match(output, pattern);
        Assert.IsTrue(match.Success, $"expected '{call} gave up after N s and N attempts: Unavailable: …' in the output:{Environment.NewLine}{result.Output}");
        double seconds = double.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture);
        Assert.IsLessThanOrEqualTo(maxSeconds + 1, seconds, result.Output);
        Assert.IsGreaterThan(1, int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture), "it retried before giving up");
        MigrateAssert.OutputLacks(result, "AggregateException");
        MigrateAssert.OutputLacks(result, "One or more errors occurred");
        Assert.DoesNotContain("   at ", result.Output, "no stack trace");
    }
}
