using System.CommandLine;

// Not StreamingFeatures.Cli.Emulator: that namespace would hide the Emulators library's Emulator type from Migrate/.
namespace StreamingFeatures.Cli.EmulatorCommands;

/// <summary>
/// <c>streamingfeatures emulator</c>: emulators the project builds, run on their own for other tools; and the rows and
/// messages a local run leaves in the Bigtable and Pub/Sub emulators, read as people read them.
/// </summary>
internal static class EmulatorCommand
{
    public static Command Create() => new("emulator", "Run a built-in emulator on its own, for other tools and clients; read what local runs left in the emulators.")
    {
        BigQueryEmulatorCommand.Create(),
        ReadRowsCommand.Create(),
        PullCommand.Create(),
    };
}
