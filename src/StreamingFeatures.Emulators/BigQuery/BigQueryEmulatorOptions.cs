namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>How the BigQuery Storage Read emulator listens, splits tables and sizes its responses.</summary>
public sealed record BigQueryEmulatorOptions
{
    /// <summary>Loopback port to listen on (0 to 65535; 0 picks a free one). Default 0.</summary>
    public int Port { get; init; }

    /// <summary>How long a read session lives, as on the real service (1 second to 7 days). Default 6 hours.</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Rows per ReadRows response at most (1 to 65,536). Default 1,024.</summary>
    public int MaxRowsPerResponse { get; init; } = 1_024;

    /// <summary>
    /// Approximate row-data bytes per ReadRows response at most (1 KiB to 64 MiB); a response always carries at
    /// least one row. Default 2 MiB, well under the 4 MiB a gRPC client accepts by default.
    /// </summary>
    public int MaxResponseBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>Streams when the client leaves max_stream_count at 0 ("the server decides"; 1 to 1,000). Default 4.</summary>
    public int DefaultStreamCount { get; init; } = 4;

    /// <summary>The cap on streams per session, the real service's system limit (1 to 1,000). Default 1,000.</summary>
    public int MaxStreamCount { get; init; } = 1_000;

    /// <summary>The location in session names (<c>projects/P/locations/LOCATION/sessions/ID</c>). Default "us".</summary>
    public string Location { get; init; } = "us";

    /// <summary>
    /// Rows a second each ReadRows call serves at most (0 to 10,000,000; 0 serves as fast as the client reads), as a
    /// slow scan does: lets tests make one reader a straggler whatever the machine's load. Default 0.
    /// </summary>
    public int RowsPerSecond { get; init; }

    /// <summary>The clock for session creation and expiry. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks every setting and reports all errors together.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65_535)
        {
            errors.Add($"Port is {Port}; allowed 0 to 65535.");
        }

        if (SessionLifetime < TimeSpan.FromSeconds(1) || SessionLifetime > TimeSpan.FromDays(7))
        {
            errors.Add($"SessionLifetime is {SessionLifetime}; allowed 00:00:01 to 7.00:00:00.");
        }

        if (MaxRowsPerResponse is < 1 or > 65_536)
        {
            errors.Add($"MaxRowsPerResponse is {MaxRowsPerResponse}; allowed 1 to 65536.");
        }

        if (MaxResponseBytes is < 1_024 or > 64 * 1024 * 1024)
        {
            errors.Add($"MaxResponseBytes is {MaxResponseBytes}; allowed 1024 to 67108864.");
        }

        if (RowsPerSecond is < 0 or > 10_000_000)
        {
            errors.Add($"RowsPerSecond is {RowsPerSecond}; allowed 0 to 10000000 (0: unpaced).");
        }

        if (DefaultStreamCount is < 1 or > 1_000)
        {
            errors.Add($"DefaultStreamCount is {DefaultStreamCount}; allowed 1 to 1000.");
        }

        if (MaxStreamCount is < 1 or > 1_000)
        {
            errors.Add($"MaxStreamCount is {MaxStreamCount}; allowed 1 to 1000.");
        }

        if (string.IsNullOrWhiteSpace(Location) || Location.Contains('/', StringComparison.Ordinal))
        {
            errors.Add($"Location is '{Location}'; expected a name without '/', for example us or europe-west1.");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider is null; expected a clock, for example TimeProvider.System.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid BigQuery emulator options: " + string.Join(" ", errors));
        }
    }
}
