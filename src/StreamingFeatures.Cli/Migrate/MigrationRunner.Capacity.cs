using System.Globalization;
using Spectre.Console;
using StreamingFeatures.Emulators;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>Whether the local Bigtable emulator can hold the migration, checked before anything is written.</summary>
internal sealed partial class MigrationRunner
{
    /// <summary>
    /// Exit 2 when the emulator this job started cannot hold the source's rows in the memory available; a warning
    /// when the emulator is one <c>BIGTABLE_EMULATOR_HOST</c> names and the rows would not fit here (it may run
    /// elsewhere). CSV files have no row count before they are read: then a note says how many rows fit.
    /// </summary>
    private int? CheckLocalCapacity(MigrationPlan plan, MigrationJob job, FeatureSetOptions featureSet, LocalBigtable? localBigtable)
    {
        if (localBigtable is null)
        {
            return null;
        }

        int cells = featureSet.Features.Count;
        long? available = AvailableMemory.Read();
        if (plan.ExpectedRows is not { } total)
        {
            if (available is { } memory && localBigtable.Owned is not null)
            {
                AnsiConsole.MarkupLineInterpolated(
                    $"The source has no row count before it is read; the local Bigtable emulator keeps every cell in memory, and the {Math.Floor(memory / (double)(1L << 30)):N0} GiB available fit about {BigtableEmulatorCapacity.RowsThatFit(memory, cells):N0} rows of {cells} features.");
            }

            return null;
        }

        // An adopted emulator already holds the rows done, and the memory they take is no longer available.
        long rows = localBigtable.Adopted ? Math.Max(0, total - (job.Checkpoint?.Totals.Read ?? 0)) : total;
        if (localBigtable.Owned is null)
        {
            // Not this job's emulator, maybe not this machine's: warn when it would not fit here, never refuse.
            if (available is { } here && BigtableEmulatorCapacity.NeededBytes(rows, cells) > here)
            {
                Console.Error.WriteLine(BigtableEmulatorCapacity.ExternalWarning(localBigtable.Endpoint, rows, cells, here));
            }

            return null;
        }

        string what = localBigtable.Adopted ? string.Create(CultureInfo.InvariantCulture, $"The {rows:N0} rows left")
            : _settings.SourceKind is SourceKind.Sample or SourceKind.Synthetic ? string.Create(CultureInfo.InvariantCulture, $"--sample-rows {rows}")
            : string.Create(CultureInfo.InvariantCulture, $"{plan.Source} ({rows:N0} rows)");
        return available is { } bytes && BigtableEmulatorCapacity.Refusal(what, rows, cells, bytes) is { } refusal ? BadInput(refusal) : null;
    }
}
