using System.Globalization;
using BenchmarkDotNet.Running;
using StreamingFeatures.Perf.Ingest;
using StreamingFeatures.Perf.Migrate;
using StreamingFeatures.Perf.Pipeline;

namespace StreamingFeatures.Perf;

/// <summary>The perf tool: end-to-end pipeline runs as JSON, BenchmarkDotNet micro benchmarks, trace summaries.</summary>
internal static class Program
{
    private const string Usage = """
        Usage:
          pipeline [--rows N] [--features N] [--skip-emulator] [--skip-null-sink] [--output PATH]
                   [--warmup-rows N] [--no-preheat] [--trace DIR]
              The ingestion graph into a null sink and into cbtemulator, and a bare MutateRows loop; prints JSON.
          ingest [--events N] [--features N] [--live-seconds S] [--rate-steps N] [--output PATH]
              The streaming service's data path next to a bare StreamingPull consumer on the local emulators; prints JSON.
          migrate [--rows N] [--features N] [--warmup-rows N] [--output PATH]
              A whole migration (BigQuery emulator in a child process, full read-back) next to three bare loops; prints JSON.
          bench [BenchmarkDotNet arguments]
              Micro benchmarks, e.g. `bench --filter '*' --job short`.
          trace-summary FILE.nettrace [TOP] [FOCUS]
              Thread time by method of a trace written by `pipeline --trace DIR`; FOCUS lists the stacks through a frame.
        """;

    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "pipeline":
                if (!PipelineArguments.TryParse(args.AsSpan(1), out PipelineArguments? arguments, out string? error))
                {
                    await Console.Error.WriteLineAsync(error + Environment.NewLine + Usage).ConfigureAwait(false);
                    return 2;
                }

                return await PipelineCommand.RunAsync(arguments).ConfigureAwait(false);
            case "ingest":
                if (!IngestArguments.TryParse(args.AsSpan(1), out IngestArguments? ingest, out string? ingestError))
                {
                    await Console.Error.WriteLineAsync(ingestError + Environment.NewLine + Usage).ConfigureAwait(false);
                    return 2;
                }

                return await IngestCommand.RunAsync(ingest).ConfigureAwait(false);
            case "migrate" or "serve-bigquery":
                if (!MigrateArguments.TryParse(args.AsSpan(1), out MigrateArguments? migrate, out string? migrateError))
                {
                    await Console.Error.WriteLineAsync(migrateError + Environment.NewLine + Usage).ConfigureAwait(false);
                    return 2;
                }

                return args[0] == "migrate"
                    ? await MigrateCommand.RunAsync(migrate).ConfigureAwait(false)
                    : await BigQueryServer.ServeAsync(migrate).ConfigureAwait(false);
            case "bench":
                // Artifacts beside the binaries unless asked otherwise, not in whatever folder the tool was run from.
                string[] benchArgs = args.Contains("--artifacts")
                    ? args[1..]
                    : [.. args[1..], "--artifacts", Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts")];
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(benchArgs);
                return 0;
            case "trace-summary" when args.Length >= 2:
                int top = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 25;
                return TraceSummary.Run(args[1], top, args.Length > 3 ? args[3] : null);
            default:
                await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
                return 2;
        }
    }
}
