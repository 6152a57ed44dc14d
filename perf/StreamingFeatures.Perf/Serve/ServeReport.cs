using System.Globalization;
using HdrHistogram;
using StreamingFeatures.Perf.Pipeline;

namespace StreamingFeatures.Perf.Serve;

/// <summary>
/// The JSON <c>serve</c> prints: per batch size, every variant's closed-loop throughput and CPU (its two ABBA runs
/// together), its ratio to the bare loop, and its open-loop latency at half the bare loop's peak. <c>Rows</c> is the
/// entities loaded; CPU figures are microseconds per key read.
/// </summary>
internal sealed record ServeReport : RunReport
{
    public required ServeSettings Settings { get; init; }

    public required IReadOnlyList<ServeBatchReport> Batches { get; init; }

    /// <summary>FeatureReader's throughput at least 0.9 of the bare loop's at every batch size.</summary>
    public required bool GoalInProcessAtLeast90Percent { get; init; }

    /// <summary>The gRPC service's at least 0.8 of the bare loop's at every batch size; null when it did not run.</summary>
    public required bool? GoalGrpcAtLeast80Percent { get; init; }
}

internal sealed record ServeSettings(
    int ClosedLoopConcurrency,
    double SecondsPerRun,
    int ReaderSubBatchKeys,
    int ReaderConcurrency,
    string Values,
    string BigtableEmulator,
    string? Service);

internal sealed record ServeBatchReport(
    int BatchSize,
    double OpenLoopKeysPerSecond,
    IReadOnlyDictionary<string, VariantFigures> Variants,
    RestOverGrpc? RestOverGrpc);

/// <summary>One variant at one batch size.</summary>
internal sealed record VariantFigures(
    double KeysPerSecond,
    double RatioToBare,
    double ClientCpuMicrosPerKey,
    double? EmulatorCpuMicrosPerKey,
    double? ServerCpuMicrosPerKey,
    double? OtherProcessesCpuSeconds,
    LatencyFigures OpenLoopLatency);

/// <summary>Latency in milliseconds from the HdrHistogram of both open-loop runs.</summary>
internal sealed record LatencyFigures(long Requests, double P50Ms, double P99Ms, double P999Ms, double MaxMs)
{
    public static LatencyFigures From(LongHistogram micros) => new(
        micros.TotalCount,
        Ms(micros.GetValueAtPercentile(50)),
        Ms(micros.GetValueAtPercentile(99)),
        Ms(micros.GetValueAtPercentile(99.9)),
        Ms(micros.GetMaxValue()));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"p50 {P50Ms} ms, p99 {P99Ms} ms, p999 {P999Ms} ms, max {MaxMs} ms over {Requests} requests");

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}

/// <summary>What REST's JSON costs over gRPC: each figure REST's over gRPC's (above 1: REST costs more).</summary>
internal sealed record RestOverGrpc(double Throughput, double ClientCpuPerKey, double? ServerCpuPerKey, double P50, double P99)
{
    public static RestOverGrpc From(VariantFigures rest, VariantFigures grpc) => new(
        Ratio(rest.KeysPerSecond, grpc.KeysPerSecond),
        Ratio(rest.ClientCpuMicrosPerKey, grpc.ClientCpuMicrosPerKey),
        rest.ServerCpuMicrosPerKey is { } r && grpc.ServerCpuMicrosPerKey is { } g ? Ratio(r, g) : null,
        Ratio(rest.OpenLoopLatency.P50Ms, grpc.OpenLoopLatency.P50Ms),
        Ratio(rest.OpenLoopLatency.P99Ms, grpc.OpenLoopLatency.P99Ms));

    private static double Ratio(double a, double b) => b == 0 ? double.NaN : Math.Round(a / b, 3);
}
