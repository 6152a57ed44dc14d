using Grpc.Core;
using StreamingFeatures.Cli.Serve;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Tests.Serve;

[TestClass]
public sealed class ServeErrorsTests
{
    private static readonly DateTime s_now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [TestMethod]
    [DataRow(StatusCode.Unavailable, StatusCode.Unavailable)]
    [DataRow(StatusCode.DeadlineExceeded, StatusCode.DeadlineExceeded)]
    [DataRow(StatusCode.NotFound, StatusCode.FailedPrecondition)]
    [DataRow(StatusCode.PermissionDenied, StatusCode.Internal)]
    public void ToRpc_BigtableStatus_MappedWithTheFeatureSetNamed(StatusCode bigtable, StatusCode expected)
    {
        RpcException? rpc = ServeErrors.ToRpc(new RpcException(new Status(bigtable, "why")), "users", DateTime.MaxValue, s_now);

        Assert.AreEqual(expected, rpc!.StatusCode);
        StringAssert.Contains(rpc.Status.Detail, "'users'");
        StringAssert.Contains(rpc.Status.Detail, "why");
    }

    [TestMethod]
    public void ToRpc_CancelledByTheCaller_CancelledOrDeadlineExceededNotInternal()
    {
        var cancelled = new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));

        Assert.AreEqual(StatusCode.DeadlineExceeded, ServeErrors.ToRpc(cancelled, "users", s_now, s_now)!.StatusCode, "the caller's deadline passed");
        Assert.AreEqual(StatusCode.Cancelled, ServeErrors.ToRpc(cancelled, "users", DateTime.MaxValue, s_now)!.StatusCode, "the caller went away");
    }

    [TestMethod]
    public void ToRpc_ReaderExceptions_InvalidArgumentDeadlineExceededUnavailable()
    {
        RpcException? invalid = ServeErrors.ToRpc(new ArgumentException("features[0] is 'x', which ...", "names"), "users", DateTime.MaxValue, s_now);
        RpcException? timeout = ServeErrors.ToRpc(new TimeoutException("passed the 5 ms deadline"), "users", DateTime.MaxValue, s_now);
        RpcException? gaveUp = ServeErrors.ToRpc(new CallGaveUpException("Bigtable ReadRows gave up after 3 attempts", new RpcException(new Status(StatusCode.Unavailable, "down"))), "users", DateTime.MaxValue, s_now);

        Assert.AreEqual(StatusCode.InvalidArgument, invalid!.StatusCode);
        Assert.AreEqual("features[0] is 'x', which ...", invalid.Status.Detail, "without the parameter name");
        Assert.AreEqual(StatusCode.DeadlineExceeded, timeout!.StatusCode);
        Assert.AreEqual(StatusCode.Unavailable, gaveUp!.StatusCode);
    }

    [TestMethod]
    public void ToRpc_Cancelled_DeadlineExceededOnlyPastTheCallersDeadline()
    {
        Assert.AreEqual(StatusCode.DeadlineExceeded, ServeErrors.ToRpc(new OperationCanceledException(), "users", s_now.AddMilliseconds(-1), s_now)!.StatusCode);
        Assert.AreEqual(StatusCode.Cancelled, ServeErrors.ToRpc(new OperationCanceledException(), "users", DateTime.MaxValue, s_now)!.StatusCode);
    }

    [TestMethod]
    public void ToRpc_AnythingElse_LetThrough() =>
        Assert.IsNull(ServeErrors.ToRpc(new InvalidOperationException("bug"), "users", DateTime.MaxValue, s_now));

    [TestMethod]
    public void UnknownFeatureSet_NamesItAndTheOnesServed() =>
        Assert.AreEqual(
            "feature_set is 'nope', which this server does not serve; it serves: users, items.",
            ServeErrors.UnknownFeatureSet("nope", ["users", "items"]).Status.Detail);
}
