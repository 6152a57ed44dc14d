using System.Diagnostics.Metrics;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Tests.Telemetry;

/// <summary><c>streamingfeatures.write.rate_limit</c>: the writer's limit from RateLimitInfo, reported only while it has one.</summary>
[TestClass]
public sealed class WriteRateLimitGaugeTests
{
    [TestMethod]
    public void WriteRateLimit_Unlimited_NothingReported()
    {
        using var metrics = new PipelineMetrics();
        _ = Writer(metrics);

        Assert.IsEmpty(Observe(metrics));
    }

    [TestMethod]
    public void WriteRateLimit_RateLimitInfoApplied_ReportsTheWritersLimit()
    {
        using var metrics = new PipelineMetrics();
        BigtableWriter writer = Writer(metrics);

        writer.RateLimiter.Apply(0.5, TimeSpan.FromSeconds(10));

        double limit = Observe(metrics).Single();
        Assert.AreEqual(writer.RateLimiter.RequestsPerSecond, limit);
        Assert.AreEqual(new BigtableWriterOptions().MinRequestsPerSecond, limit, "nothing sent yet: the floor");
    }

    private static BigtableWriter Writer(PipelineMetrics metrics) =>
        new(new BigtableTarget(new UnusedInvoker(), "projects/p/instances/i/tables/t"), new BigtableWriterOptions(), TimeProvider.System, metrics);

    private static List<double> Observe(PipelineMetrics metrics)
    {
        var values = new List<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "streamingfeatures.write.rate_limit")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => values.Add(value));
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    /// <summary>No call is made: these tests only read the writer's rate limiter.</summary>
    private sealed class UnusedInvoker : CallInvoker
    {
        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();
    }
}
