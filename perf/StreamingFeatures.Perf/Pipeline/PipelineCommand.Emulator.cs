using System.Diagnostics;
using Google.Cloud.Bigtable.V2;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Perf.Pipeline;

/// <summary>The emulator phases: the pipeline and the bare loop against the same cbtemulator, in ABBA order.</summary>
internal static partial class PipelineCommand
{
    /// <summary>
    /// cbtemulator is not a steady reference: it shares the two cores with this process, its first table costs it a
    /// third more CPU per row than later ones, and the cost keeps drifting down from table to table as its heap
    /// grows. So an untimed run of the full size comes first, then the timed runs go pipeline, bare loop, bare loop,
    /// pipeline, and each side is reported over its two runs, which cancels a steady drift.
    /// </summary>
    private static async Task<(PhaseMeasurement Pipeline, PhaseMeasurement BareLoop)> MeasureEmulatorAsync(
        GrpcChannel channel, int? emulatorPid, PipelineArguments args, SyntheticSourceOptions sourceOptions, PipelineOptions options, Dictionary<string, PhaseDetail> phases)
    {
        CallInvoker invoker = channel.CreateCallInvoker();
        var source = new SyntheticSource(sourceOptions);
        if (args.PreheatEmulator)
        {
            await using PerfTable preheat = await PerfTable.CreateAsync(channel, source, "preheat").ConfigureAwait(false);
            PhaseMeasurement heated = await RunPipelineAsync(invoker, preheat.Name, source, preheat.FeatureSet, options, args.Rows, emulatorPid).ConfigureAwait(false);
            Log($"emulator pre-heat (untimed): {Describe(heated)}");
        }

        if (args.WarmUpRows > 0)
        {
            var warm = new SyntheticSource(sourceOptions with { Rows = args.WarmUpRows });
            await using PerfTable warmTable = await PerfTable.CreateAsync(channel, warm, "warm").ConfigureAwait(false);
            await RunPipelineAsync(invoker, warmTable.Name, warm, warmTable.FeatureSet, options, args.WarmUpRows).ConfigureAwait(false);
        }

        PhaseMeasurement pipeline1 = await TimePipelineAsync(channel, invoker, emulatorPid, source, args, options, "emulator-1").ConfigureAwait(false);
        phases["emulator1"] = PhaseDetail.From(pipeline1, withWorkingSet: true);

        int concurrency = options.Writer.MaxRequestsInFlight;
        int rowsPerRequest = options.Batching.MaxRows;
        var keys = new RowKeyFormat(source.FeatureSet("keys").RowKey);
        if (args.WarmUpRows > 0)
        {
            await using PerfTable warmTable = await PerfTable.CreateAsync(channel, source, "warm").ConfigureAwait(false);
            MutateRowsRequest[] warm = BareLoop.Build(source, warmTable.Name, keys, args.Features, 0, args.WarmUpRows, rowsPerRequest);
            await BareLoop.RunAsync(channel, warm, concurrency).ConfigureAwait(false);
        }

        MutateRowsRequest[] requests = BareLoop.Build(source, string.Empty, keys, args.Features, 0, args.Rows, rowsPerRequest);
        Log($"bare loop: {requests.Length} requests pre-built, managed heap {GC.GetTotalMemory(false) / (1024 * 1024)} MiB");
        PhaseMeasurement bare1 = await TimeBareLoopAsync(channel, emulatorPid, source, requests, concurrency, args.Rows, "bare loop 1").ConfigureAwait(false);
        phases["bareLoop1"] = PhaseDetail.From(bare1, withWorkingSet: false);
        PhaseMeasurement bare2 = await TimeBareLoopAsync(channel, emulatorPid, source, requests, concurrency, args.Rows, "bare loop 2").ConfigureAwait(false);
        phases["bareLoop2"] = PhaseDetail.From(bare2, withWorkingSet: false);

        // Give the pre-built messages' memory back to the OS, or the next phase's working set would carry it.
        requests = [];
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        PhaseMeasurement pipeline2 = await TimePipelineAsync(channel, invoker, emulatorPid, source, args, options, "emulator-2").ConfigureAwait(false);
        // Its working set still holds what the pre-built messages took (the GC does not hand all of it back), so only
        // the first pipeline run, before any message was built, speaks for the pipeline's memory.
        phases["emulator2"] = PhaseDetail.From(pipeline2, withWorkingSet: false);
        return (pipeline1.Plus(pipeline2) with { PeakWorkingSetBytes = pipeline1.PeakWorkingSetBytes }, bare1.Plus(bare2));
    }

    private static async Task<PhaseMeasurement> TimePipelineAsync(
        GrpcChannel channel, CallInvoker invoker, int? emulatorPid, SyntheticSource source, PipelineArguments args, PipelineOptions options, string name)
    {
        await using PerfTable table = await PerfTable.CreateAsync(channel, source, "pipeline").ConfigureAwait(false);
        await SettleEmulatorAsync(emulatorPid).ConfigureAwait(false);
        PhaseMeasurement measured = await RunPipelineAsync(invoker, table.Name, source, table.FeatureSet, options, args.Rows, emulatorPid, TracePath(args, name)).ConfigureAwait(false);
        Log($"{name}: {Describe(measured)}");
        return measured;
    }

    private static async Task<PhaseMeasurement> TimeBareLoopAsync(
        GrpcChannel channel, int? emulatorPid, SyntheticSource source, MutateRowsRequest[] requests, int concurrency, long rows, string name)
    {
        await using PerfTable table = await PerfTable.CreateAsync(channel, source, "bare").ConfigureAwait(false);
        foreach (MutateRowsRequest request in requests)
        {
            request.TableName = table.Name;
        }

        Settle();
        await SettleEmulatorAsync(emulatorPid).ConfigureAwait(false);
        PhaseMeasurement measured;
        await using (PhaseMeter meter = PhaseMeter.Start(sampleWorkingSet: false, emulatorPid))
        {
            long failed = await BareLoop.RunAsync(channel, requests, concurrency).ConfigureAwait(false);
            measured = meter.Stop(rows);
            if (failed != 0)
            {
                throw new InvalidOperationException($"The bare loop wrote {rows} rows to {table.Name} and {failed} entries were not answered OK.");
            }
        }

        Log($"{name}: {Describe(measured)}");
        return measured;
    }

    /// <summary>
    /// Waits until the emulator has been idle for a second (at most 30 s), so a timed phase does not pay for the
    /// clean-up of the table deleted before it. An emulator from BIGTABLE_EMULATOR_HOST gets a plain 2 s pause.
    /// </summary>
    private static async Task SettleEmulatorAsync(int? emulatorPid)
    {
        if (emulatorPid is not { } pid)
        {
            await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            return;
        }

        using var emulator = Process.GetProcessById(pid);
        long started = Stopwatch.GetTimestamp();
        TimeSpan last = emulator.TotalProcessorTime;
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            emulator.Refresh();
            TimeSpan now = emulator.TotalProcessorTime;
            if (now - last < TimeSpan.FromMilliseconds(20))
            {
                return;
            }

            last = now;
        }
    }
}
