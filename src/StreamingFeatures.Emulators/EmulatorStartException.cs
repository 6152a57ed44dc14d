namespace StreamingFeatures.Emulators;

/// <summary>An emulator was found but did not come up; the message carries the tail of its output.</summary>
public sealed class EmulatorStartException : Exception
{
    public EmulatorStartException(string message)
        : base(message)
    {
    }

    public EmulatorStartException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
