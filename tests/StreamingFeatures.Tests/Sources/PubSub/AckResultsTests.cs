using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Tests.Sources.PubSub;

[TestClass]
public sealed class AckResultsTests
{
    [TestMethod]
    public void From_ErrorInfoMetadata_SortsEachAckId()
    {
        RpcException failure = ExactlyOnceFailure(new() { ["a"] = "PERMANENT_FAILURE_INVALID_ACK_ID", ["b"] = "TRANSIENT_FAILURE_UNORDERED_ACK_ID", ["other"] = "not a failure" });

        AckResults results = AckResults.From(failure);

        Assert.AreEqual("PERMANENT_FAILURE_INVALID_ACK_ID", results.FailureOf("a"));
        Assert.IsFalse(results.IsTransient("a"));
        Assert.AreEqual("TRANSIENT_FAILURE_UNORDERED_ACK_ID", results.FailureOf("b"));
        Assert.IsTrue(results.IsTransient("b"));
        Assert.IsNull(results.FailureOf("c"), "an id the metadata does not name succeeded");
        Assert.IsNull(results.FailureOf("other"));
    }

    [TestMethod]
    [DataRow(StatusCode.Unavailable, true)]
    [DataRow(StatusCode.DeadlineExceeded, true)]
    [DataRow(StatusCode.Internal, true)]
    [DataRow(StatusCode.PermissionDenied, false)]
    [DataRow(StatusCode.InvalidArgument, false)]
    public void From_NoMetadata_WholeCallTransientOnlyForRetryableCodes(StatusCode code, bool transient)
    {
        AckResults results = AckResults.From(new RpcException(new Grpc.Core.Status(code, "x")));

        Assert.AreEqual(code.ToString(), results.FailureOf("any"));
        Assert.AreEqual(transient, results.IsTransient("any"));
    }

    /// <summary>How Pub/Sub answers an exactly-once Acknowledge that partly failed.</summary>
    internal static RpcException ExactlyOnceFailure(Dictionary<string, string> metadata)
    {
        var info = new ErrorInfo { Reason = "EXACTLY_ONCE_ACKID_FAILURE", Domain = "pubsub.googleapis.com" };
        info.Metadata.Add(metadata);
        var status = new Google.Rpc.Status { Code = (int)StatusCode.InvalidArgument, Message = "Some acknowledgement ids in the request were invalid." };
        status.Details.Add(Any.Pack(info));
        var trailers = new Metadata { { "grpc-status-details-bin", status.ToByteArray() } };
        return new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, status.Message), trailers);
    }
}
