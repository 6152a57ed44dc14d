using System.Text.Json;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>The regression gate: a result against a baseline, the side-by-side table printed, the verdict as exit code.</summary>
internal static class LoadTestGate
{
    public const double DefaultMaxThroughputDrop = 0.10;
    public const double DefaultMaxP99Rise = 0.25;

    /// <summary>Compares two result files (<c>--compare</c> with <c>--baseline</c>).</summary>
    public static int CompareFiles(FileInfo current, FileInfo baseline, double? maxThroughputDrop, double? maxP99Rise)
    {
        LoadTestResult? now = Read(current);
        LoadTestResult? then = Read(baseline);
        if (now is null || then is null)
        {
            return ExitCodes.BadInput;
        }

        return Judge(Compare(now, then, maxThroughputDrop ?? DefaultMaxThroughputDrop, maxP99Rise ?? DefaultMaxP99Rise), current.Name, baseline.Name);
    }

    public static LoadComparison Compare(LoadTestResult current, LoadTestResult baseline, double maxThroughputDrop, double maxP99Rise)
    {
        if (current.Profile != baseline.Profile)
        {
            Console.Error.WriteLine($"warning: comparing profile '{current.Profile}' with a baseline of profile '{baseline.Profile}'.");
        }

        return LoadComparison.Compare(current, baseline, maxThroughputDrop, maxP99Rise);
    }

    /// <summary>Prints the table and the verdict (or, with <paramref name="json"/>, one <c>{"gate": …}</c> line); returns the exit code.</summary>
    public static int Judge(LoadComparison comparison, string currentName, string baselineName, bool json = false)
    {
        if (json)
        {
            Options.JsonLines.Write("gate", new { comparison.Passed, Current = currentName, Baseline = baselineName, comparison.Rows });
            return comparison.Passed ? ExitCodes.Success : LoadTestCommand.Regressed;
        }

        Console.WriteLine();
        Console.Write(comparison.ToTable(currentName, baselineName));
        if (comparison.Passed)
        {
            Console.WriteLine("Regression gate: passed.");
            return ExitCodes.Success;
        }

        Console.WriteLine("Regression gate: FAILED (" + string.Join(", ", comparison.Rows.Where(r => r.Regressed).Select(r => r.Metric)) + ").");
        return LoadTestCommand.Regressed;
    }

    public static LoadTestResult? Read(FileInfo file)
    {
        try
        {
            return LoadTestResult.FromJson(File.ReadAllText(file.FullName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            Console.Error.WriteLine($"error: {file.FullName} is not a readable load-test result: {e.Message}");
            return null;
        }
    }
}
