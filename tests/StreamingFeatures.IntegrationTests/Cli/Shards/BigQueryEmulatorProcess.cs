using System.Globalization;
using System.Text.RegularExpressions;

namespace StreamingFeatures.IntegrationTests.Cli.Shards;

/// <summary><c>streamingfeatures emulator bigquery</c> as a process, stopped with SIGTERM to read its count of rows served.</summary>
internal sealed partial class BigQueryEmulatorProcess : IDisposable
{
    private const string EndpointPrefix = "BIGQUERY_STORAGE_EMULATOR_HOST=";
    private readonly CliProcess _cli;

    private BigQueryEmulatorProcess(CliProcess cli) => _cli = cli;

    /// <summary>Starts <c>emulator bigquery</c> in <paramref name="folder"/> serving <paramref name="table"/> (NAME=SPEC), each ReadRows call at most <paramref name="rowsPerSecond"/> rows a second (0: unpaced).</summary>
    public static BigQueryEmulatorProcess Start(string folder, string table, int rowsPerSecond = 0) =>
        new(CliProcess.Start(folder, ["emulator", "bigquery", "--table", table, "--rows-per-second", rowsPerSecond.ToString(CultureInfo.InvariantCulture)]));

    public async Task<string> WaitForEndpointAsync(CancellationToken cancellationToken)
    {
        await _cli.WaitUntilAsync(() => Task.FromResult(_cli.Output.Contains(EndpointPrefix, StringComparison.Ordinal)), "the emulator's endpoint", TimeSpan.FromMinutes(1), cancellationToken);
        string line = _cli.Output.Split('\n').First(l => l.StartsWith(EndpointPrefix, StringComparison.Ordinal));
        return line[EndpointPrefix.Length..].Trim();
    }

    /// <summary>Stops the emulator (SIGTERM) and parses the rows it says it served, per session and stream.</summary>
    public async Task<RowsServed> StopAsync(CancellationToken cancellationToken)
    {
        await _cli.TerminateAsync(cancellationToken);
        CliResult result = await _cli.WaitAsync(cancellationToken, TimeSpan.FromSeconds(30));
        Assert.AreEqual(0, result.Code, result.Output);
        Match total = TotalLine().Match(result.Output);
        Assert.IsTrue(total.Success, result.Output);
        var byStream = new Dictionary<int, long>();
        foreach (Match session in SessionLine().Matches(result.Output))
        {
            foreach (Match stream in StreamCount().Matches(session.Groups[1].Value))
            {
                int number = int.Parse(stream.Groups[1].Value, CultureInfo.InvariantCulture);
                byStream[number] = byStream.GetValueOrDefault(number) + long.Parse(stream.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }

        return new RowsServed(
            long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(total.Groups[2].Value, CultureInfo.InvariantCulture),
            byStream,
            result.Output);
    }

    public void Dispose() => _cli.Dispose();

    [GeneratedRegex(@"Rows served: (\d+) in (\d+) session\(s\)\.")]
    private static partial Regex TotalLine();

    [GeneratedRegex(@"Rows served by session \S+ \([^)]*\): \d+ \[streams ([^\]]*)\]")]
    private static partial Regex SessionLine();

    [GeneratedRegex(@"(\d+)=(\d+)")]
    private static partial Regex StreamCount();
}

/// <summary>What <c>emulator bigquery</c> said it served: in total, in how many sessions, per stream number (all sessions).</summary>
internal sealed record RowsServed(long Total, int Sessions, IReadOnlyDictionary<int, long> ByStream, string Text);
