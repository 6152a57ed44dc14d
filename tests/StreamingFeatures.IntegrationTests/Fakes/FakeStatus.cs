using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RpcStatus = Google.Rpc.Status;

namespace StreamingFeatures.IntegrationTests.Fakes;

/// <summary>A status the fake Bigtable answers with: a gRPC code and, optionally, a RetryInfo delay.</summary>
internal readonly record struct FakeStatus(StatusCode Code, TimeSpan? RetryDelay = null)
{
    /// <summary>The trailer in which gRPC carries a rich google.rpc.Status (its details) next to the code.</summary>
    public const string DetailsTrailer = "grpc-status-details-bin";

    public static FakeStatus Ok => new(StatusCode.OK);

    /// <summary>As a per-entry google.rpc.Status, RetryInfo packed into its details.</summary>
    public RpcStatus ToRpcStatus(string message)
    {
        var status = new RpcStatus { Code = (int)Code, Message = Code == StatusCode.OK ? string.Empty : message };
        if (RetryDelay is { } delay)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }));
        }

        return status;
    }

    /// <summary>As a whole-call failure: the code, and the rich status (with RetryInfo) in the details trailer.</summary>
    public RpcException ToRpcException(string message)
    {
        var trailers = new Metadata();
        if (RetryDelay is not null)
        {
            trailers.Add(DetailsTrailer, ToRpcStatus(message).ToByteArray());
        }

        return new RpcException(new Grpc.Core.Status(Code, message), trailers);
    }
}
