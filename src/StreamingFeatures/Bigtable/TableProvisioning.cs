namespace StreamingFeatures.Bigtable;

/// <summary>What a job may do about its Bigtable table before writing: create what is missing, or only check it exists.</summary>
public enum TableProvisioning
{
    /// <summary>Create the table and any missing column families; existing families keep their GC policy.</summary>
    Create,

    /// <summary>Create nothing: a missing table stops the job before anything is read or written.</summary>
    Forbid,
}
