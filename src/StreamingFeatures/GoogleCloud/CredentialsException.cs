namespace StreamingFeatures.GoogleCloud;

/// <summary>No usable Google Cloud credentials: Application Default Credentials are missing or a key file is bad.</summary>
public sealed class CredentialsException : Exception
{
    public CredentialsException()
    {
    }

    public CredentialsException(string message)
        : base(message)
    {
    }

    public CredentialsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
