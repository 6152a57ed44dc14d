namespace StreamingFeatures.FeatureSets;

/// <summary>The text format of a feature-set file.</summary>
public enum FeatureSetFormat
{
    /// <summary>JSON; comments and trailing commas are accepted.</summary>
    Json,

    /// <summary>YAML (one document).</summary>
    Yaml,
}
