namespace StreamingFeatures;

/// <summary>
/// A setting's default and allowed range, declared once beside its options type (as Polly keeps <c>RetryConstants</c>
/// beside <c>RetryStrategyOptions</c>): the options default to it and validate against it, and settings binders read
/// against it and print it in help text and messages.
/// </summary>
internal readonly record struct Limit<T>(T Default, T Min, T Max)
    where T : IComparable<T>
{
    public bool Allows(T value) => value.CompareTo(Min) >= 0 && value.CompareTo(Max) <= 0;
}
