namespace StreamingFeatures.Cli.Ingest;

/// <summary>Whether the host is still starting: <see cref="IngestHost"/> holds back the host's own error lines meanwhile.</summary>
internal sealed class HostStartup
{
    private volatile bool _starting = true;

    public bool Starting => _starting;

    public void Done() => _starting = false;
}
