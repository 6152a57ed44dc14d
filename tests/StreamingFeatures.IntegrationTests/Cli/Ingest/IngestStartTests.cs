using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamingFeatures.Cli.Ingest;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>
/// The race the pre-start check cannot close: another process takes the port between the check and Kestrel's bind.
/// The command then reports it in one line, and the host must not have logged its stack trace first.
/// </summary>
[TestClass]
public sealed class IngestStartTests
{
    [TestMethod]
    public async Task StartAsync_PortTakenAfterTheCheck_ReturnsTheReasonAndTheHostLogsNoError()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var logs = new CapturingLoggerProvider();
        var startup = new HostStartup();
        await using WebApplication app = Build(((IPEndPoint)taken.LocalEndpoint).Port, logs, startup);

        string? reason = await IngestCommand.StartAsync(app, startup);

        Assert.IsNotNull(reason);
        StringAssert.Contains(reason, "address already in use");
        Assert.IsFalse(startup.Starting);
        Assert.IsEmpty(logs.Entries.Where(e => e.Level >= LogLevel.Error || e.Exception is not null), string.Join(Environment.NewLine, logs.Entries));
    }

    [TestMethod]
    public async Task StartAsync_WithoutTheStartupGate_TheHostLogsTheStackTrace()
    {
        // The control: what the gate holds back is really logged without it.
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var logs = new CapturingLoggerProvider();
        await using WebApplication app = Build(((IPEndPoint)taken.LocalEndpoint).Port, logs, startup: null);

        string? reason = await IngestCommand.StartAsync(app, new HostStartup());

        Assert.IsNotNull(reason);
        Assert.Contains(e => e.Level == LogLevel.Error && e.Exception is IOException, logs.Entries);
    }

    private static WebApplication Build(int port, CapturingLoggerProvider logs, HostStartup? startup) => IngestHost.Build(
        new IngestSettings { HttpPort = port, Local = true },
        StreamingFeatures.Cli.Migrate.SourceSpec.Sample(1).FeatureSet("features"),
        runWorker: false,
        configure: services => services.AddSingleton<ILoggerProvider>(logs),
        startup: startup);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Entries.Enqueue((category, logLevel, formatter(state, exception), exception));
        }
    }
}
