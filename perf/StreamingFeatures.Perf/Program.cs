using System.CommandLine;
using System.CommandLine.Parsing;
using BenchmarkDotNet.Running;
using StreamingFeatures.Perf.Commands;
using StreamingFeatures.Perf.Ingest;
using StreamingFeatures.Perf.Migrate;
using StreamingFeatures.Perf.Pipeline;
using StreamingFeatures.Perf.Serve;

namespace StreamingFeatures.Perf;

/// <summary>The perf tool: end-to-end pipeline runs as JSON, BenchmarkDotNet micro benchmarks, trace summaries.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // BenchmarkDotNet parses its own flags (--filter, --job, --inProcess, ...): they pass through untouched.
        if (args is ["bench", .. string[] benchArgs])
        {
            // Artifacts beside the binaries unless asked otherwise, not in whatever folder the tool was run from.
            string[] withArtifacts = benchArgs.Contains("--artifacts")
                ? benchArgs
                : [.. benchArgs, "--artifacts", Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts")];
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(withArtifacts);
            return 0;
        }

        Command serveBigQuery = MigrateArguments.Command("serve-bigquery", "The BigQuery Storage emulator of `migrate`, in its own process.", BigQueryServer.ServeAsync);
        serveBigQuery.Hidden = true;
        var root = new RootCommand("The perf tool. `bench [BenchmarkDotNet arguments]` runs the micro benchmarks, e.g. `bench --filter '*' --job short`.")
        {
            PipelineArguments.Command(PipelineCommand.RunAsync),
            IngestArguments.Command(IngestCommand.RunAsync),
            MigrateArguments.Command("migrate", "A whole migration (BigQuery emulator in a child process, full read-back) next to three bare loops; prints JSON.", MigrateCommand.RunAsync),
            serveBigQuery,
            ServeArguments.Command("serve", "Feature reads: a bare ReadRows loop, FeatureReader in process and (with --cli) `streamingfeatures serve` over gRPC and REST, batches of 1, 10 and 100 keys; prints JSON.", ServeCommand.RunAsync),
            ServeArguments.Command("serve-tuning", "FeatureReader's SubBatchKeys × Concurrency against cbtemulator, batches of 100 and 1,000 keys; prints JSON.", ServeTuning.RunAsync),
            TraceSummaryCommand.Create(),
        };
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line per problem and exit 2, as the CLI's bad flags do (System.CommandLine's own exit code is 1).
            foreach (ParseError error in parse.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            return 2;
        }

        return await parse.InvokeAsync().ConfigureAwait(false);
    }
}
