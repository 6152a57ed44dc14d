using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// What a failed Acknowledge or ModifyAckDeadline call did to each ack id. On an exactly-once subscription the call
/// fails with a google.rpc.ErrorInfo whose metadata names each failed id: <c>"&lt;ackId&gt;":
/// "PERMANENT_FAILURE_INVALID_ACK_ID"</c> or <c>"TRANSIENT_FAILURE_…"</c>; ids it does not name succeeded. Without
/// such metadata the whole call failed: transiently for the codes Google's clients retry, permanently otherwise.
/// </summary>
internal sealed class AckResults
{
    private const string TransientPrefix = "TRANSIENT_FAILURE_";
    private const string PermanentPrefix = "PERMANENT_FAILURE_";

    private readonly IReadOnlyDictionary<string, string>? _failures;
    private readonly bool _allTransient;

    private AckResults(StatusCode code, IReadOnlyDictionary<string, string>? failures, bool allTransient)
    {
        Code = code;
        _failures = failures;
        _allTransient = allTransient;
    }

    public StatusCode Code { get; }

    /// <summary>The reason a given id failed (the ErrorInfo value, or the call's code), or null if it succeeded.</summary>
    public string? FailureOf(string ackId) => _failures is not null
        ? _failures.GetValueOrDefault(ackId)
        : Code.ToString();

    /// <summary>Whether a failed id may be sent again.</summary>
    public bool IsTransient(string ackId) => _failures is not null
        ? _failures.TryGetValue(ackId, out string? reason) && reason.StartsWith(TransientPrefix, StringComparison.Ordinal)
        : _allTransient;

    public static AckResults From(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Dictionary<string, string>? failures = null;
        if (ErrorInfoOf(exception) is { } info)
        {
            foreach ((string ackId, string reason) in info.Metadata)
            {
                if (reason.StartsWith(TransientPrefix, StringComparison.Ordinal) || reason.StartsWith(PermanentPrefix, StringComparison.Ordinal))
                {
                    (failures ??= new Dictionary<string, string>(StringComparer.Ordinal))[ackId] = reason;
                }
            }
        }

        return new AckResults(exception.StatusCode, failures, TransientErrors.IsRetryableAck(exception.StatusCode));
    }

    private static ErrorInfo? ErrorInfoOf(RpcException exception)
    {
        // A missing or malformed details trailer says nothing per id; the call's code decides.
        if (TransientErrors.StatusDetails(exception) is { } status)
        {
            foreach (Any detail in status.Details)
            {
                if (detail.TryUnpack(out ErrorInfo info))
                {
                    return info;
                }
            }
        }

        return null;
    }
}
