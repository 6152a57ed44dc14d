using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using RpcStatus = Google.Rpc.Status;

namespace StreamingFeatures.Tests.Bigtable;

/// <summary>The per-entry bookkeeping of MutateRows, without I/O or clock: what each answer means, what goes out again.</summary>
[TestClass]
public sealed class MutateRowsRequestManagerTests
{
    [TestMethod]
    public void StartAttempt_First_SendsEveryEntryInOrder()
    {
        var entries = new MutateRowsRequestManager(4);

        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3 }, entries.StartAttempt().ToArray());
        Assert.AreEqual(1, entries.Attempts);
        Assert.AreEqual(0, entries.Retried);
    }

    [TestMethod]
    public void OnEntry_RetryableAndPermanentSiblings_ResendsOnlyTheRetryable()
    {
        var entries = new MutateRowsRequestManager(4);
        entries.StartAttempt();

        Assert.AreEqual(EntryResult.Written, entries.OnEntry(0, Status(StatusCode.OK)));
        Assert.AreEqual(EntryResult.Retry, entries.OnEntry(1, Status(StatusCode.Unavailable)));
        Assert.AreEqual(EntryResult.Failed, entries.OnEntry(2, Status(StatusCode.PermissionDenied)));
        Assert.AreEqual(EntryResult.Retry, entries.OnEntry(3, Status(StatusCode.Aborted)));
        WriteAttempt attempt = entries.EndAttempt();

        Assert.AreEqual(2, attempt.Pending);
        CollectionAssert.AreEqual(new[] { 1, 3 }, entries.StartAttempt().ToArray());
        Assert.AreEqual(2, entries.Retried);
        CollectionAssert.AreEqual(new[] { false, false, true, false }, entries.Failed);
        EntryFailure failure = entries.Failures.Single();
        Assert.AreEqual(2, failure.Index);
        Assert.AreEqual(DeadLetterReason.PermanentWriteFailure, failure.Reason);
        Assert.AreEqual(StatusCode.PermissionDenied, failure.Code);
    }

    [TestMethod]
    public void OnEntry_SecondAttempt_PositionsReferToTheResentEntries()
    {
        var entries = new MutateRowsRequestManager(3);
        entries.StartAttempt();
        entries.OnEntry(0, Status(StatusCode.OK));
        entries.OnEntry(1, Status(StatusCode.OK));
        entries.OnEntry(2, Status(StatusCode.Unavailable));
        entries.EndAttempt();
        entries.StartAttempt();

        entries.OnEntry(0, Status(StatusCode.NotFound));
        entries.EndAttempt();

        Assert.AreEqual(2, entries.Failures.Single().Index, "position 0 of the second attempt is batch entry 2");
    }

    [TestMethod]
    public void OnEntry_ResourceExhaustedWithoutRetryInfo_FailsForGood()
    {
        var entries = new MutateRowsRequestManager(1);
        entries.StartAttempt();

        Assert.AreEqual(EntryResult.Failed, entries.OnEntry(0, Status(StatusCode.ResourceExhausted)));
        Assert.AreEqual(0, entries.EndAttempt().Pending);
    }

    [TestMethod]
    public void OnEntry_RetryInfo_AttemptEndsWithTheLongestServerDelay()
    {
        var entries = new MutateRowsRequestManager(2);
        entries.StartAttempt();

        Assert.AreEqual(EntryResult.Retry, entries.OnEntry(0, Status(StatusCode.ResourceExhausted, TimeSpan.FromSeconds(2))));
        Assert.AreEqual(EntryResult.Retry, entries.OnEntry(1, Status(StatusCode.Unavailable, TimeSpan.FromSeconds(5))));

        Assert.AreEqual(new WriteAttempt(2, TimeSpan.FromSeconds(5)), entries.EndAttempt());
    }

    [TestMethod]
    public void OnEntry_OutOfRangeOrAnsweredTwice_IsIgnored()
    {
        var entries = new MutateRowsRequestManager(2);
        entries.StartAttempt();

        Assert.AreEqual(EntryResult.Written, entries.OnEntry(0, Status(StatusCode.OK)));
        Assert.AreEqual(EntryResult.Ignored, entries.OnEntry(0, Status(StatusCode.PermissionDenied)));
        Assert.AreEqual(EntryResult.Ignored, entries.OnEntry(-1, Status(StatusCode.PermissionDenied)));
        Assert.AreEqual(EntryResult.Ignored, entries.OnEntry(2, Status(StatusCode.PermissionDenied)));
        Assert.IsEmpty(entries.Failures);
    }

    [TestMethod]
    public void EndAttempt_EntryNeverAnswered_IsSentAgainAsUnknown()
    {
        var entries = new MutateRowsRequestManager(3);
        entries.StartAttempt();
        entries.OnEntry(0, Status(StatusCode.OK));
        entries.OnEntry(2, Status(StatusCode.OK));

        Assert.AreEqual(1, entries.EndAttempt().Pending);
        CollectionAssert.AreEqual(new[] { 1 }, entries.Pending.ToArray());
        Assert.AreEqual(StatusCode.Unknown, entries.LastRetryableCode);
    }

    [TestMethod]
    public void OnCallFailed_RetryableAfterSomeAnswers_ResendsOnlyTheUnansweredAndMarksTheCallFailed()
    {
        var entries = new MutateRowsRequestManager(4);
        entries.StartAttempt();
        entries.OnEntry(0, Status(StatusCode.OK));
        entries.OnEntry(1, Status(StatusCode.PermissionDenied));

        Assert.IsTrue(entries.OnCallFailed(StatusCode.Unavailable, "connection reset", retryDelay: null));
        entries.EndAttempt();

        CollectionAssert.AreEqual(new[] { 2, 3 }, entries.Pending.ToArray());
        Assert.IsTrue(entries.CallFailed);
        Assert.AreEqual("connection reset", entries.LastRetryableMessage);
        Assert.HasCount(1, entries.Failures);
    }

    [TestMethod]
    public void OnCallFailed_Permanent_FailsEveryUnansweredEntry()
    {
        var entries = new MutateRowsRequestManager(3);
        entries.StartAttempt();
        entries.OnEntry(0, Status(StatusCode.OK));

        Assert.IsFalse(entries.OnCallFailed(StatusCode.NotFound, "no table", retryDelay: null));
        entries.EndAttempt();

        Assert.IsEmpty(entries.Pending);
        Assert.IsFalse(entries.CallFailed);
        CollectionAssert.AreEqual(new[] { 1, 2 }, entries.Failures.Select(f => f.Index).ToArray());
        Assert.IsTrue(entries.Failures.All(f => f.Code == StatusCode.NotFound && f.Message == "no table"));
    }

    [TestMethod]
    public void StartAttempt_AfterACallFailure_ClearsCallFailed()
    {
        var entries = new MutateRowsRequestManager(1);
        entries.StartAttempt();
        entries.OnCallFailed(StatusCode.Unavailable, "down", retryDelay: null);
        entries.EndAttempt();

        entries.StartAttempt();

        Assert.IsFalse(entries.CallFailed);
    }

    [TestMethod]
    public void GiveUp_PendingEntries_FailAsRetriesExhaustedNamingTheLastCode()
    {
        var entries = new MutateRowsRequestManager(2);
        entries.StartAttempt();
        entries.OnEntry(0, Status(StatusCode.OK));
        entries.OnEntry(1, Status(StatusCode.Unavailable, message: "tablet moving"));
        entries.EndAttempt();

        entries.GiveUp(TimeSpan.FromMinutes(10));

        EntryFailure failure = entries.Failures.Single();
        Assert.AreEqual(1, failure.Index);
        Assert.AreEqual(DeadLetterReason.RetriesExhausted, failure.Reason);
        Assert.AreEqual(StatusCode.Unavailable, failure.Code);
        StringAssert.Contains(failure.Message, "after 1 attempts over 00:10:00: tablet moving");
    }

    [TestMethod]
    public void AttemptDeadline_RetryDeadlineFarAway_IsTheAttemptTimeout()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        DateTime deadline = MutateRowsRequestManager.AttemptDeadline(now, now.AddMinutes(10), TimeSpan.FromSeconds(60));

        Assert.AreEqual(now.AddSeconds(60).UtcDateTime, deadline);
        Assert.AreEqual(DateTimeKind.Utc, deadline.Kind);
    }

    [TestMethod]
    public void AttemptDeadline_RetryDeadlineCloser_IsWhatIsLeftAndNeverInThePast()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.AreEqual(now.AddSeconds(5).UtcDateTime, MutateRowsRequestManager.AttemptDeadline(now, now.AddSeconds(5), TimeSpan.FromSeconds(60)));
        Assert.AreEqual(now.AddMilliseconds(1).UtcDateTime, MutateRowsRequestManager.AttemptDeadline(now, now.AddSeconds(-1), TimeSpan.FromSeconds(60)));
    }

    private static RpcStatus Status(StatusCode code, TimeSpan? retryDelay = null, string? message = null)
    {
        var status = new RpcStatus { Code = (int)code, Message = message ?? code.ToString() };
        if (retryDelay is not null)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryDelay.Value) }));
        }

        return status;
    }
}
