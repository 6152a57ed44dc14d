using Google.Cloud.Bigtable.V2;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Jobs;
using StreamingFeatures.Keys;
using StreamingFeatures.Perf.Pipeline;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Perf.Migrate;

/// <summary>The phases of one <c>migrate</c> run, each on a fresh Bigtable table deleted afterwards.</summary>
internal static partial class MigrateCommand
{
    /// <summary>The three bare loops of one pass, in the order a migration does their work.</summary>
    private sealed record BareRun(MigratePhase ArrowRead, MigratePhase MutateRows, MigratePhase ReadRows)
    {
        public void AddTo(Dictionary<string, MigratePhaseDetail> phases, string pass)
        {
            phases["bareArrowRead" + pass] = MigratePhaseDetail.From(ArrowRead, withWorkingSet: false);
            phases["bareMutateRows" + pass] = MigratePhaseDetail.From(MutateRows, withWorkingSet: false);
            phases["bareReadRows" + pass] = MigratePhaseDetail.From(ReadRows, withWorkingSet: false);
        }
    }

    private sealed class Run(MigrateArguments args, BigQueryServer bigQuery, GrpcChannel bigQueryChannel, string bigtableEndpoint, GrpcChannel bigtableChannel, int bigtablePid)
    {
        private readonly PipelineOptions _pipeline = new();
        private readonly VerificationOptions _verification = new();

        /// <summary>
        /// The engine's MigrationJob as the CLI's <c>migrate</c> drives it (BigQuery source at an endpoint, full
        /// verification, a checkpoint file every 5 s); timed from opening the read session to the last checkpoint.
        /// </summary>
        public async Task<MigratePhase> MigrationAsync(string bigQueryTable, long rows, string name)
        {
            var source = new SyntheticSource(new SyntheticSourceOptions { Rows = rows, Features = args.Features });
            await using PerfTable table = await PerfTable.CreateAsync(bigtableChannel, source, "migrate").ConfigureAwait(false);
            string folder = Directory.CreateTempSubdirectory("sf-perf-migrate-").FullName;
            try
            {
                await using var job = new MigrationJob(new MigrationJobOptions
                {
                    Source = new MigrationSource.BigQuery(bigQueryTable),
                    FeatureSet = table.FeatureSet,
                    Target = "emulator",
                    Verification = _verification,
                    Checkpoint = new CheckpointStoreSpec.File(Path.Combine(folder, "checkpoint.json")),
                    DeadLetterFile = Path.Combine(folder, "dead-letters.jsonl"),
                });
                var connection = new BigtableConnectionOptions { EmulatorHost = bigtableEndpoint, Project = "perf", Instance = "perf" };
                await job.ConnectAsync(connection, emulator: null, CancellationToken.None).ConfigureAwait(false);
                await MigrateMeter.SettleAsync(bigtablePid, bigQuery.ProcessId).ConfigureAwait(false);
                MigrationResult? result = null;
                MigratePhase measured = await MigrateMeter.MeasureAsync(rows, bigtablePid, bigQuery.ProcessId, sampleWorkingSet: true, async () =>
                {
                    await job.PrepareAsync(bigQueryChannel.CreateCallInvoker(), CancellationToken.None).ConfigureAwait(false);
                    await job.ProvisionAsync(CancellationToken.None).ConfigureAwait(false);
                    result = await job.RunAsync(CancellationToken.None).ConfigureAwait(false);
                }).ConfigureAwait(false);
                IntegrityReport report = result!.Report;
                if (!job.Finished || report.RowsWritten != rows || report.Matched != rows || report.DeadLettered != 0)
                {
                    throw new InvalidOperationException(
                        $"The migration of {bigQueryTable} read {report.RowsRead} rows, wrote {report.RowsWritten} of {rows}, matched {report.Matched} on read-back ({report.Missing} missing, {report.Changed} changed) and dead-lettered {report.DeadLettered}.");
                }

                Log($"{name}: {Describe(measured)}; verified {report.Matched} rows");
                return measured;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        /// <summary>
        /// The bare Arrow read of the session, then MutateRows of requests built before the clock into a fresh
        /// table, then ReadRows of the keys just written; each timed alone, from settled emulators.
        /// </summary>
        public async Task<BareRun> BareLoopsAsync(string bigQueryTable, long rows, string pass)
        {
            int concurrentStreams = BigQuerySourceLimits.MaxConcurrentStreams.Default;
            long arrowRows = 0;
            await MigrateMeter.SettleAsync(bigtablePid, bigQuery.ProcessId).ConfigureAwait(false);
            MigratePhase arrow = await Timed(rows, async () => arrowRows = await BareArrowRead.RunAsync(bigQueryChannel, bigQueryTable, args.Features, concurrentStreams).ConfigureAwait(false)).ConfigureAwait(false);
            Check("bare Arrow read", arrowRows, rows);
            Log($"bare Arrow read {pass}: {Describe(arrow)}");

            var source = new SyntheticSource(new SyntheticSourceOptions { Rows = rows, Features = args.Features });
            await using PerfTable table = await PerfTable.CreateAsync(bigtableChannel, source, "bare").ConfigureAwait(false);
            var keys = new RowKeyFormat(table.FeatureSet.RowKey);
            MutateRowsRequest[] writes = BareLoop.Build(source, table.Name, keys, args.Features, 0, rows, _pipeline.Batching.MaxRows);
            ReadRowsRequest[] reads = BareReadRows.Build(writes, table.Name, _verification.ReadBatchRows);
            await MigrateMeter.SettleAsync(bigtablePid, bigQuery.ProcessId).ConfigureAwait(false);
            long failed = 0;
            MigratePhase mutate = await Timed(rows, async () => failed = await BareLoop.RunAsync(bigtableChannel, writes, _pipeline.Writer.MaxRequestsInFlight).ConfigureAwait(false)).ConfigureAwait(false);
            Check("bare MutateRows (entries not answered OK)", failed, 0);
            Log($"bare MutateRows {pass}: {Describe(mutate)}");

            writes = [];
            await MigrateMeter.SettleAsync(bigtablePid, bigQuery.ProcessId).ConfigureAwait(false);
            long readRows = 0;
            MigratePhase read = await Timed(rows, async () => readRows = await BareReadRows.RunAsync(bigtableChannel, reads, _verification.ReadParallelism).ConfigureAwait(false)).ConfigureAwait(false);
            Check("bare ReadRows", readRows, rows);
            Log($"bare ReadRows {pass}: {Describe(read)}");
            return new BareRun(arrow, mutate, read);
        }

        private Task<MigratePhase> Timed(long rows, Func<Task> phase) =>
            MigrateMeter.MeasureAsync(rows, bigtablePid, bigQuery.ProcessId, sampleWorkingSet: false, phase);

        private static void Check(string what, long actual, long expected)
        {
            if (actual != expected)
            {
                throw new InvalidOperationException($"The {what} counted {actual} rows where {expected} were expected.");
            }
        }
    }
}
