namespace StreamingFeatures.Emulators;

/// <summary>An emulator, or what it needs to run, is not installed. The message says what to install.</summary>
public sealed class EmulatorNotInstalledException : Exception
{
    public EmulatorNotInstalledException(string message)
        : base(message)
    {
    }

    public EmulatorNotInstalledException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
