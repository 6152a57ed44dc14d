namespace StreamingFeatures.Cli;

/// <summary>Distinct exit codes, so a job runner can tell what happened without reading logs.</summary>
internal static class ExitCodes
{
    /// <summary>Every row written (and verified when asked).</summary>
    public const int Success = 0;

    /// <summary>Anything else went wrong (Bigtable unreachable, a fatal write fault, a stop past its deadline).</summary>
    public const int Failure = 1;

    /// <summary>Bad input or configuration found before anything was written.</summary>
    public const int BadInput = 2;

    /// <summary>Verification found missing or changed rows.</summary>
    public const int VerificationFailed = 3;

    /// <summary>verify: the table differs from its source (missing, changed or extra rows).</summary>
    public const int TableDiffers = 3;

    /// <summary>loadtest: the run fell behind its baseline beyond a threshold.</summary>
    public const int Regressed = 4;

    /// <summary>Stopped on request (Ctrl+C, SIGTERM) after draining; progress is kept.</summary>
    public const int Stopped = 130;
}
