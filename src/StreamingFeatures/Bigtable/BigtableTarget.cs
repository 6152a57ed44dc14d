using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;

namespace StreamingFeatures.Bigtable;

/// <summary>
/// Where Bigtable data calls go: the channel's invoker, the table's full name
/// (<c>projects/P/instances/I/tables/T</c>) and the app profile, if any. The writer, the read-back and the checkpoint
/// store all address a table this way; the routing headers are built once here.
/// </summary>
public sealed record BigtableTarget
{
    public BigtableTarget(CallInvoker invoker, string tableName, string? appProfileId = null)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentException.ThrowIfNullOrEmpty(tableName);
        Invoker = invoker;
        TableName = tableName;
        AppProfileId = string.IsNullOrEmpty(appProfileId) ? null : appProfileId;
        RequestParams = Headers(tableName, AppProfileId);
    }

    public CallInvoker Invoker { get; }

    public string TableName { get; }

    public string? AppProfileId { get; }

    /// <summary>The table id alone (the last segment of <see cref="TableName"/>), for messages.</summary>
    public string TableId => TableName[(TableName.LastIndexOf('/') + 1)..];

    /// <summary>
    /// The headers Google's clients send on data calls: routing by table and app profile, and the feature flags
    /// without which Bigtable sends neither RetryInfo nor RateLimitInfo.
    /// </summary>
    internal Metadata RequestParams { get; }

    /// <summary>FeatureFlags, serialised and base64url-encoded as Google's clients send it.</summary>
    internal static string FeatureFlagsHeader { get; } = Convert.ToBase64String(new FeatureFlags
    {
        RetryInfo = true,
        MutateRowsRateLimit = true,
        MutateRowsRateLimit2 = true,
        LastScannedRowResponses = true,
    }.ToByteArray()).Replace('+', '-').Replace('/', '_');

    private static Metadata Headers(string tableName, string? appProfileId) => new()
    {
        {
            "x-goog-request-params",
            $"table_name={Uri.EscapeDataString(tableName)}" + (appProfileId is null ? string.Empty : $"&app_profile_id={Uri.EscapeDataString(appProfileId)}")
        },
        { "bigtable-features", FeatureFlagsHeader },
    };
}
