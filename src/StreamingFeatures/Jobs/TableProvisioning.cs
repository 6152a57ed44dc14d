namespace StreamingFeatures.Jobs;

/// <summary>Whether a job may create its Bigtable table, or only checks that it exists.</summary>
public enum TableProvisioning
{
    /// <summary>Create the table, or its missing column families; existing families keep their GC policy.</summary>
    Create,

    /// <summary>Create nothing: a missing table stops the job before anything is read (<c>--no-create</c>).</summary>
    Forbid,
}
