using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace StreamingFeatures.Perf.Pipeline;

/// <summary>
/// An EventPipe session on this very process (the sample profiler plus the runtime's default events), written to a
/// .nettrace file: what <c>dotnet-trace collect</c> records, without the tool. Read it with <c>trace-summary</c>.
/// </summary>
internal sealed class TraceRecorder : IAsyncDisposable
{
    private readonly EventPipeSession _session;
    private readonly FileStream _file;
    private readonly Task _copy;

    private TraceRecorder(EventPipeSession session, FileStream file)
    {
        _session = session;
        _file = file;
        _copy = session.EventStream.CopyToAsync(file);
    }

    public static TraceRecorder Start(string path)
    {
        EventPipeProvider[] providers =
        [
            new("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
            new("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, 0x14C14FCCBD),
        ];
        EventPipeSession session = new DiagnosticsClient(Environment.ProcessId).StartEventPipeSession(providers, requestRundown: true);
        return new TraceRecorder(session, File.Create(path));
    }

    public async ValueTask DisposeAsync()
    {
        await _session.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _copy.ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
        _session.Dispose();
    }
}
