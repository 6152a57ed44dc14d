namespace StreamingFeatures.Emulators;

/// <summary>How to find, start and wait for an emulator. Every property has a working default.</summary>
public sealed record EmulatorOptions
{
    /// <summary>Smallest accepted <see cref="StartTimeout"/>.</summary>
    public static readonly TimeSpan MinStartTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Largest accepted <see cref="StartTimeout"/>.</summary>
    public static readonly TimeSpan MaxStartTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The emulator executable. When null it is found through the gcloud SDK
    /// (<c>gcloud info --format='value(installation.sdk_root)'</c>).
    /// </summary>
    public string? ExecutablePath { get; init; }

    /// <summary>
    /// Use the emulator named by <c>BIGTABLE_EMULATOR_HOST</c> / <c>PUBSUB_EMULATOR_HOST</c> when set, instead of
    /// starting one. Default true, as Google's client libraries do.
    /// </summary>
    public bool UseEnvironmentHost { get; init; } = true;

    /// <summary>How long to wait for the emulator to answer a request. Default 60 s (the Pub/Sub emulator starts a JVM).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many lines of the emulator's output are kept for error messages. Default 200.</summary>
    public int OutputLinesKept { get; init; } = 200;

    /// <summary>Receives each line the emulator prints, for example a test log. Optional.</summary>
    public Action<string>? OutputLine { get; init; }

    /// <summary>Variables set in the emulator's environment on top of this process's (e.g. <see cref="GoRuntimeSettings"/>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Start the emulator in a session of its own (through <c>setsid</c>, where there is one), so a Ctrl+C in the
    /// terminal, which signals the whole foreground process group, reaches only this process and not the emulator
    /// it may need to leave running. Default false.
    /// </summary>
    public bool OwnSession { get; init; }

    /// <summary>
    /// A file that receives the emulator's output (overwritten at start) instead of pipes to this process. An
    /// emulator meant to outlive this process needs it: once this process is gone, its next line to a pipe with no
    /// reader would end it (SIGPIPE). <see cref="Emulator.RecentOutput"/> then reads the file's last lines, and
    /// <see cref="OutputLine"/> is not called. The file is deleted when the emulator is stopped here. Default none.
    /// </summary>
    public string? OutputFile { get; init; }

    /// <summary>Throws with every invalid setting named, its value and the allowed range.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (StartTimeout < MinStartTimeout || StartTimeout > MaxStartTimeout)
        {
            errors.Add($"{nameof(StartTimeout)} is {StartTimeout}; allowed {MinStartTimeout} to {MaxStartTimeout}.");
        }

        if (OutputLinesKept is < 0 or > 10_000)
        {
            errors.Add($"{nameof(OutputLinesKept)} is {OutputLinesKept}; allowed 0 to 10000.");
        }

        if (ExecutablePath is { Length: 0 })
        {
            errors.Add($"{nameof(ExecutablePath)} is empty; give a path or leave it unset to search the gcloud SDK.");
        }

        if (OutputFile is { Length: 0 })
        {
            errors.Add($"{nameof(OutputFile)} is empty; give a path or leave it unset to capture the output through pipes.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid emulator options: " + string.Join(" ", errors));
        }
    }
}
