using Microsoft.Extensions.Hosting;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// The lifetime of a web host embedded in another program: it starts and stops when that program says so and
/// handles no process signals, which belong to the program.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
