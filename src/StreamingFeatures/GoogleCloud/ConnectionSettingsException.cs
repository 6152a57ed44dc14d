namespace StreamingFeatures.GoogleCloud;

/// <summary>A connection cannot be opened as configured: no project or instance named and no emulator set.</summary>
public sealed class ConnectionSettingsException : ArgumentException
{
    public ConnectionSettingsException()
    {
    }

    public ConnectionSettingsException(string message)
        : base(message)
    {
    }

    public ConnectionSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
