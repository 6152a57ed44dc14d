namespace StreamingFeatures.Cli.EmulatorCommands;

/// <summary>When the emulator stops: Ctrl+C or SIGTERM (System.CommandLine cancels the action), or closed stdin when asked.</summary>
internal static partial class BigQueryEmulatorCommand
{
    private static async Task WaitForStopAsync(bool stopOnStdinClose, CancellationToken stop)
    {
        var stopped = Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, stop);
        if (!stopOnStdinClose)
        {
            await stopped.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }

        // A dedicated thread: reads from a console stream block and ignore cancellation, and the thread dies with the process.
        var stdinClosed = Task.Factory.StartNew(DrainStandardInput, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.WhenAny(stopped, stdinClosed).ConfigureAwait(false);
    }

    private static void DrainStandardInput()
    {
        using Stream input = Console.OpenStandardInput();
        byte[] buffer = new byte[256];
        try
        {
            while (input.Read(buffer) > 0)
            {
            }
        }
        catch (IOException)
        {
            // A broken stdin counts as closed.
        }
    }
}
