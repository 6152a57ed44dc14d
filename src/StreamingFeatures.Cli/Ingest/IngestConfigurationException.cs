namespace StreamingFeatures.Cli.Ingest;

/// <summary>The configuration cannot be read or holds invalid settings; the message names each problem.</summary>
internal sealed class IngestConfigurationException : Exception
{
    public IngestConfigurationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
