namespace StreamingFeatures.LoadTesting;

/// <summary>What a load test is about to do: where rows come from and go, how they are keyed, and the schedule.</summary>
/// <param name="Profile">The profile's name.</param>
/// <param name="Source">What feeds the rows (e.g. the paced BigQuery source, or "events" for a running service).</param>
/// <param name="Destination">Where they go and what measures them (a table on an emulator, a topic and a /metrics URL).</param>
/// <param name="Keys">The row-key format the rows are written with, and where it comes from.</param>
/// <param name="Unit">What one planned item is: "rows", or "events" for a running service.</param>
/// <param name="PlannedRows">Rows (or events) the schedule offers.</param>
/// <param name="Duration">How long the schedule offers them.</param>
/// <param name="Drain">How long after the last planned row the run waits for the rest to finish.</param>
/// <param name="Shape">The load shape's kind.</param>
/// <param name="KeyRanges">How many key ranges the hotspot heatmap has.</param>
/// <param name="KeyRangeSource">How the ranges were chosen (sampled split points, even splits).</param>
public sealed record LoadTestStart(
    string Profile,
    string Source,
    string Destination,
    string Keys,
    string Unit,
    long PlannedRows,
    TimeSpan Duration,
    TimeSpan Drain,
    LoadShapeKind Shape,
    int KeyRanges,
    string KeyRangeSource);
