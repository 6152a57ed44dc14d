using StreamingFeatures.Emulators;

namespace StreamingFeatures.IntegrationTests;

/// <summary>
/// One Bigtable and one Pub/Sub emulator for the whole run (or the ones named by *_EMULATOR_HOST); tests
/// isolate themselves with uniquely named tables, topics and subscriptions.
/// </summary>
[TestClass]
public static class EmulatorFixture
{
    public const string Project = "streamingfeatures-it";
    public const string Instance = "streamingfeatures-it";

    private static Emulator? s_bigtable;
    private static Emulator? s_pubSub;

    public static Emulator Bigtable => s_bigtable ?? throw new InvalidOperationException("The Bigtable emulator did not start.");

    public static Emulator PubSub => s_pubSub ?? throw new InvalidOperationException("The Pub/Sub emulator did not start.");

    [AssemblyInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var options = new EmulatorOptions { OutputLine = line => Console.WriteLine($"[emulator] {line}") };
        Task<Emulator> bigtable = Emulator.StartAsync(EmulatorKind.Bigtable, options, context.CancellationToken);
        Task<Emulator> pubSub = Emulator.StartAsync(EmulatorKind.PubSub, options, context.CancellationToken);
        try
        {
            await Task.WhenAll(bigtable, pubSub);
        }
        finally
        {
            s_bigtable = bigtable.IsCompletedSuccessfully ? bigtable.Result : null;
            s_pubSub = pubSub.IsCompletedSuccessfully ? pubSub.Result : null;
        }
    }

    [AssemblyCleanup]
    public static async Task StopAsync()
    {
        if (s_bigtable is not null)
        {
            await s_bigtable.DisposeAsync();
        }

        if (s_pubSub is not null)
        {
            await s_pubSub.DisposeAsync();
        }
    }

    /// <summary>A name no other test or run uses, within Bigtable's and Pub/Sub's length limits.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 25, 50)];
}
