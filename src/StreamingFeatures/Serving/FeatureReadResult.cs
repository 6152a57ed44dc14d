namespace StreamingFeatures.Serving;

/// <summary>The answer to one read: the features in the order asked, and per entity (in request order, duplicates included) one result per feature.</summary>
/// <param name="FeatureNames">The features read, in the order of each entity's <see cref="EntityFeatures.Features"/>.</param>
/// <param name="Entities">One entry per entity key asked for, in request order.</param>
/// <param name="AsOf">The time the values are as of (the read's, or the clock's when none was given).</param>
public sealed record FeatureReadResult(IReadOnlyList<string> FeatureNames, IReadOnlyList<EntityFeatures> Entities, DateTimeOffset AsOf);

/// <summary>One entity's features, in the order of <see cref="FeatureReadResult.FeatureNames"/>.</summary>
public sealed record EntityFeatures(EntityKey Entity, IReadOnlyList<FeatureResult> Features);
