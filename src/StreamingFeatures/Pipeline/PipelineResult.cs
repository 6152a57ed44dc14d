using StreamingFeatures.Verification;

namespace StreamingFeatures.Pipeline;

/// <summary>How a run ended: its integrity report, and whether it was stopped before the sources were exhausted.</summary>
public sealed record PipelineResult(IntegrityReport Report, bool Stopped, TimeSpan Elapsed);
