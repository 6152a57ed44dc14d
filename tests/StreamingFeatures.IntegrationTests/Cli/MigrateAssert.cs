using StreamingFeatures.Jobs;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>Assertions shared by the migrate tests.</summary>
internal static class MigrateAssert
{
    /// <summary>Every row read, written and verified once across <paramref name="runs"/> runs, nothing lost or changed.</summary>
    public static void AllRowsOnce(MigrationSummary summary, long rows, int runs)
    {
        string json = summary.ToJson();
        Assert.AreEqual(rows, summary.RowsRead, json);
        Assert.AreEqual(rows, summary.RowsWritten, json);
        Assert.AreEqual(rows, summary.RowsVerified, json);
        Assert.AreEqual(0, summary.Mismatches, json);
        Assert.AreEqual(0, summary.Missing, json);
        Assert.AreEqual(0, summary.DeadLettered, json);
        Assert.AreEqual(runs, summary.Runs, json);
        Assert.IsFalse(summary.Stopped, json);
    }

    /// <summary>
    /// The CLI printed <paramref name="expected"/>. Spectre.Console wraps lines at 80 columns when output is
    /// redirected, between words or inside a long one, so whitespace is ignored on both sides.
    /// </summary>
    public static void OutputContains(CliResult result, string expected) =>
        Assert.IsTrue(Unwrapped(result.Output).Contains(Unwrapped(expected), StringComparison.Ordinal), $"expected '{expected}' in the output:{Environment.NewLine}{result.Output}");

    /// <summary>The CLI did not print <paramref name="unexpected"/>, however wrapped.</summary>
    public static void OutputLacks(CliResult result, string unexpected) =>
        Assert.IsFalse(Unwrapped(result.Output).Contains(Unwrapped(unexpected), StringComparison.Ordinal), $"did not expect '{unexpected}' in the output:{Environment.NewLine}{result.Output}");

    /// <summary>A full scan of the table, independent of the CLI, against what the generator produces.</summary>
    public static async Task TableHoldsSampleAsync(TargetTable table, long rows, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> differences = await SampleContents.DifferencesAsync(table, rows, cancellationToken);
        Assert.IsEmpty(differences, string.Join(Environment.NewLine, differences));
    }

    private static string Unwrapped(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
