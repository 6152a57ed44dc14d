using Grpc.Core;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Tests.Resilience;

/// <summary>Each kind of call's classifier, as the hand-written checks it replaced decided.</summary>
[TestClass]
public sealed class TransientErrorsTests
{
    [TestMethod]
    [DataRow(StatusCode.Unavailable, false, true)]
    [DataRow(StatusCode.DeadlineExceeded, false, true)]
    [DataRow(StatusCode.Aborted, false, true)]
    [DataRow(StatusCode.ResourceExhausted, true, true)]
    [DataRow(StatusCode.ResourceExhausted, false, false)]
    [DataRow(StatusCode.Internal, false, false)]
    [DataRow(StatusCode.PermissionDenied, false, false)]
    public void IsRetryableWrite_ByCodeAndRetryInfo(StatusCode code, bool hasRetryInfo, bool expected)
    {
        Assert.AreEqual(expected, TransientErrors.IsRetryableWrite(code, hasRetryInfo));
    }

    [TestMethod]
    [DataRow(StatusCode.Unavailable, "down", true)]
    [DataRow(StatusCode.DeadlineExceeded, "slow", true)]
    [DataRow(StatusCode.Internal, "Received RST_STREAM with error code 2", true)]
    [DataRow(StatusCode.Internal, "Connection reset by peer", false)]
    [DataRow(StatusCode.Aborted, "aborted", false)]
    [DataRow(StatusCode.ResourceExhausted, "quota", false)]
    [DataRow(StatusCode.NotFound, "session", false)]
    public void IsTransientRead_BigQueryReadRows(StatusCode code, string detail, bool expected)
    {
        Assert.AreEqual(expected, TransientErrors.IsTransientRead(new RpcException(new Status(code, detail))));
    }

    [TestMethod]
    public void IsTransientRead_CallNeverStartedDuringAnOutage_IsRetried()
    {
        // What Grpc.Net.Client raised in CI when a proxy cut the HTTP/2 handshake of a resumed ReadRows.
        var handshake = new HttpRequestException("An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.");
        var error = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call. HttpRequestException: " + handshake.Message, handshake));
        var answered = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call. the server's own failure"));

        Assert.IsTrue(TransientErrors.IsTransientRead(error));
        Assert.IsTrue(TransientErrors.IsTransient(error));
        Assert.IsFalse(TransientErrors.IsTransientRead(answered), "an INTERNAL without a transport failure stays permanent");
    }

    [TestMethod]
    [DataRow(StatusCode.Unavailable, true)]
    [DataRow(StatusCode.Internal, true)]
    [DataRow(StatusCode.NotFound, false)]
    [DataRow(StatusCode.PermissionDenied, false)]
    [DataRow(StatusCode.InvalidArgument, false)]
    public void IsTransientPublish_DeadLetterTopic(StatusCode code, bool expected)
    {
        Assert.AreEqual(expected, TransientErrors.IsTransientPublish(new RpcException(new Status(code, "x"))));
    }

    [TestMethod]
    public void PullAndAckCodes_FollowGooglesSubscriberClients()
    {
        Assert.IsTrue(TransientErrors.IsRecoverablePull(StatusCode.Cancelled));
        Assert.IsTrue(TransientErrors.IsRecoverablePull(StatusCode.Unknown));
        Assert.IsFalse(TransientErrors.IsRecoverablePull(StatusCode.NotFound));
        Assert.IsTrue(TransientErrors.IsRetryableAck(StatusCode.Internal));
        Assert.IsFalse(TransientErrors.IsRetryableAck(StatusCode.Unknown));
        Assert.IsFalse(TransientErrors.IsRetryableAck(StatusCode.InvalidArgument));
    }
}
