using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>
/// The built-in BigQuery Storage emulator serving <c>--source sample</c> for one run: the job reads it through the
/// Storage Read API as it would read BigQuery. It dies with this process; the data and stream split are deterministic.
/// </summary>
internal sealed class SampleTable : IAsyncDisposable
{
    private readonly BigQueryStorageEmulator _emulator;
    private readonly GrpcChannel _channel;

    private SampleTable(BigQueryStorageEmulator emulator)
    {
        _emulator = emulator;
        _channel = emulator.CreateChannel();
    }

    public CallInvoker Endpoint => _channel.CreateCallInvoker();

    /// <summary>Serves the sample when <paramref name="source"/> is it; null otherwise.</summary>
    public static async Task<SampleTable?> ServeAsync(MigrationSource source, CancellationToken cancellationToken)
    {
        if (source is not MigrationSource.Sample sample)
        {
            return null;
        }

        BigQueryStorageEmulator emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), cancellationToken).ConfigureAwait(false);
        emulator.AddTable("local", "features", "sample", SourceSpec.Sample(sample.Rows, sample.Features));
        return new SampleTable(emulator);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _emulator.DisposeAsync().ConfigureAwait(false);
    }
}
