namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// A fault the emulator injects into ReadRows calls, for tests of a client's resumption and backoff. It applies to
/// the first <see cref="Times"/> calls that match it and reach it: a break fault is used up only when a call actually
/// breaks (a call that ends before <see cref="AfterRows"/> rows leaves it for the next one).
/// </summary>
public sealed record BigQueryReadFault(BigQueryFaultKind Kind)
{
    /// <summary>The table, <c>projects/P/datasets/D/tables/T</c>; null for every table.</summary>
    public string? Table { get; init; }

    /// <summary>The stream number (the <c>N</c> of <c>.../streams/N</c>) in any session; null for every stream.</summary>
    public int? Stream { get; init; }

    /// <summary>Rows a breaking call sends before it breaks (0 or more). Default 0.</summary>
    public long AfterRows { get; init; }

    /// <summary>How many calls fail (1 or more). Default 1.</summary>
    public int Times { get; init; } = 1;

    /// <summary>The RetryInfo delay of a RESOURCE_EXHAUSTED fault. Default 1 second.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        var errors = new List<string>();
        if (AfterRows < 0)
        {
            errors.Add($"AfterRows is {AfterRows}; allowed 0 or more.");
        }

        if (Times < 1)
        {
            errors.Add($"Times is {Times}; allowed 1 or more.");
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            errors.Add($"RetryDelay is {RetryDelay}; allowed zero or more.");
        }

        if (!Enum.IsDefined(Kind))
        {
            errors.Add($"Kind is {Kind}; allowed Unavailable, ResetStream, ResourceExhausted.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid BigQuery read fault: " + string.Join(" ", errors));
        }
    }
}
