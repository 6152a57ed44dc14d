using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RpcStatus = Google.Rpc.Status;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>The emulator's failures, built in one place, with the codes the real service uses.</summary>
internal static class EmulatorErrors
{
    /// <summary>The trailer in which gRPC carries a rich google.rpc.Status (its details) next to the code.</summary>
    public const string DetailsTrailer = "grpc-status-details-bin";

    public static RpcException InvalidArgument(string message) => new(new Grpc.Core.Status(StatusCode.InvalidArgument, message));

    public static RpcException NotFound(string message) => new(new Grpc.Core.Status(StatusCode.NotFound, message));

    public static RpcException OutOfRange(string message) => new(new Grpc.Core.Status(StatusCode.OutOfRange, message));

    public static RpcException FailedPrecondition(string message) => new(new Grpc.Core.Status(StatusCode.FailedPrecondition, message));

    public static RpcException Unimplemented(string message) => new(new Grpc.Core.Status(StatusCode.Unimplemented, message));

    public static RpcException Unavailable(string message) => new(new Grpc.Core.Status(StatusCode.Unavailable, message));

    public static RpcException Internal(string message) => new(new Grpc.Core.Status(StatusCode.Internal, message));

    /// <summary>RESOURCE_EXHAUSTED with a RetryInfo detail, in the trailer clients read it from.</summary>
    public static RpcException ResourceExhausted(string message, TimeSpan retryDelay)
    {
        var status = new RpcStatus { Code = (int)Code.ResourceExhausted, Message = message };
        status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryDelay) }));
        var trailers = new Metadata { { DetailsTrailer, status.ToByteArray() } };
        return new RpcException(new Grpc.Core.Status(StatusCode.ResourceExhausted, message), trailers);
    }
}
