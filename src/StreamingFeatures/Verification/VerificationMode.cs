namespace StreamingFeatures.Verification;

/// <summary>How much the verification sink reads back from Bigtable. Counts and checksums are kept in every mode.</summary>
public enum VerificationMode
{
    /// <summary>No read-back.</summary>
    None,

    /// <summary>A deterministic sample of rows (by their digest), at <see cref="VerificationOptions.SampleRate"/>.</summary>
    Sampled,

    /// <summary>Every row written is read back and compared.</summary>
    Full,
}
