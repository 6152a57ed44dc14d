using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;

namespace StreamingFeatures.Tests.Pipeline.Stages;

/// <summary>Event times far ahead of the clock (or a migration's snapshot) are dead letters, not cells that win forever.</summary>
[TestClass]
public sealed class RowMapperFutureEventTests
{
    /// <summary>2023-11-14T22:13:20Z: the clock and the snapshot of these tests.</summary>
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static readonly long NowMicros = 1_700_000_000_000_000;

    private static readonly long HourMicros = 3_600_000_000;

    [TestMethod]
    public void Map_EventTimeAtOneHourAhead_Written()
    {
        using MappedChunk chunk = Map(Mapper(clock: new FakeTimeProvider(Now)), NowMicros + HourMicros);

        Assert.IsEmpty(chunk.DeadLetters);
        Assert.AreEqual(1, chunk.Rows.RowCount);
    }

    [TestMethod]
    [DataRow(1_700_003_600_000_001L)] // One microsecond past the default hour.
    [DataRow(253_402_300_799_999_000L)] // 9999-12-31T23:59:59.999Z.
    [DataRow(long.MaxValue)]
    public void Map_EventTimePastDefaultHourAheadOfClock_DeadLetteredAsEventTimeInFuture(long eventTime)
    {
        using MappedChunk chunk = Map(Mapper(clock: new FakeTimeProvider(Now)), eventTime);

        Assert.AreEqual(0, chunk.Rows.RowCount);
        DeadLetter dead = chunk.DeadLetters.Single();
        Assert.AreEqual(DeadLetterReason.EventTimeInFuture, dead.Reason);
        Assert.AreEqual("event_time", dead.Field);
        Assert.AreEqual(7L, dead.Offset);
        StringAssert.Contains(dead.Message, "maxFutureSkew 1h ahead of the clock 2023-11-14T22:13:20.000000Z");
        StringAssert.Contains(dead.Message, "allowed: at most 2023-11-14T23:13:20.000000Z");
    }

    [TestMethod]
    public void Map_FarFutureEventTime_MessageNamesFieldValueBoundAndReference()
    {
        using MappedChunk chunk = Map(Mapper(clock: new FakeTimeProvider(Now)), 253_402_300_799_999_000L);

        Assert.AreEqual(
            "Event time 'event_time' is 9999-12-31T23:59:59.999000Z, more than maxFutureSkew 1h ahead of the clock 2023-11-14T22:13:20.000000Z; allowed: at most 2023-11-14T23:13:20.000000Z.",
            chunk.DeadLetters.Single().Message);
    }

    [TestMethod]
    public void Map_Int64MaxEventTime_MessageShowsMicrosecondsInsteadOfADate()
    {
        using MappedChunk chunk = Map(Mapper(clock: new FakeTimeProvider(Now)), long.MaxValue);

        StringAssert.StartsWith(chunk.DeadLetters.Single().Message, "Event time 'event_time' is 9223372036854775807 µs since the epoch, more than");
    }

    [TestMethod]
    public void Map_ClockAdvances_BoundMovesWithIt()
    {
        var clock = new FakeTimeProvider(Now);
        RowMapper mapper = Mapper(clock: clock);
        long twoHoursAhead = NowMicros + (2 * HourMicros);
        using (MappedChunk before = Map(mapper, twoHoursAhead))
        {
            Assert.AreEqual(DeadLetterReason.EventTimeInFuture, before.DeadLetters.Single().Reason);
        }

        clock.Advance(TimeSpan.FromHours(1));

        using MappedChunk after = Map(mapper, twoHoursAhead);
        Assert.IsEmpty(after.DeadLetters);
    }

    [TestMethod]
    public void Map_FixedReference_BoundIsTheSnapshotNotTheClock()
    {
        // The snapshot is a day before the clock: an event between the two is in the snapshot's future.
        var clock = new FakeTimeProvider(Now);
        RowMapper mapper = Mapper(clock: clock, reference: Now.AddDays(-1));

        using MappedChunk chunk = Map(mapper, NowMicros - HourMicros);

        DeadLetter dead = chunk.DeadLetters.Single();
        Assert.AreEqual(DeadLetterReason.EventTimeInFuture, dead.Reason);
        StringAssert.Contains(dead.Message, "ahead of the snapshot time 2023-11-13T22:13:20.000000Z");
    }

    [TestMethod]
    public void Map_FixedReference_ClockAdvancingDoesNotMoveTheBound()
    {
        var clock = new FakeTimeProvider(Now);
        RowMapper mapper = Mapper(clock: clock, reference: Now);
        clock.Advance(TimeSpan.FromDays(365));

        using MappedChunk chunk = Map(mapper, NowMicros + (2 * HourMicros));

        Assert.AreEqual(DeadLetterReason.EventTimeInFuture, chunk.DeadLetters.Single().Reason);
    }

    [TestMethod]
    public void Map_ZeroSkew_EventAtReferenceWrittenOneMicrosecondLaterRefused()
    {
        RowMapper mapper = Mapper(clock: new FakeTimeProvider(Now), skew: TimeSpan.Zero);

        using MappedChunk chunk = mapper.Map(MapperTestData.Chunk(0, 0, new InputRow("at", EventTime: NowMicros), new InputRow("after", EventTime: NowMicros + 1)));

        Assert.AreEqual(1, chunk.Rows.RowCount);
        Assert.AreEqual(1L, chunk.DeadLetters.Single().Offset);
        StringAssert.Contains(chunk.DeadLetters.Single().Message, "maxFutureSkew 0ms ahead");
    }

    [TestMethod]
    public void Map_NegativeAndNullEventTimes_StillBadEventTime()
    {
        RowMapper mapper = Mapper(clock: new FakeTimeProvider(Now));

        using MappedChunk chunk = mapper.Map(MapperTestData.Chunk(0, 0, new InputRow("neg", EventTime: -1), new InputRow("null", EventTime: null)));

        Assert.HasCount(2, chunk.DeadLetters);
        Assert.IsTrue(chunk.DeadLetters.All(d => d.Reason == DeadLetterReason.BadEventTime), string.Join("; ", chunk.DeadLetters));
    }

    [TestMethod]
    public void Map_MixedChunk_OnlyTheFutureRowRefusedOthersWritten()
    {
        RowMapper mapper = Mapper(clock: new FakeTimeProvider(Now));

        using MappedChunk chunk = mapper.Map(MapperTestData.Chunk(
            2,
            100,
            new InputRow("a", EventTime: NowMicros - HourMicros),
            new InputRow("b", EventTime: 253_402_300_799_999_000L),
            new InputRow("c", EventTime: NowMicros)));

        Assert.AreEqual(2, chunk.Rows.RowCount);
        Assert.AreEqual(100L, chunk.Rows[0].SourceOffset);
        Assert.AreEqual(102L, chunk.Rows[1].SourceOffset);
        DeadLetter dead = chunk.DeadLetters.Single();
        Assert.AreEqual((2, 101L), (dead.Partition, dead.Offset));
    }

    [TestMethod]
    public void Map_WithoutClockGiven_UsesSystemClock()
    {
        RowMapper mapper = RowMapper.Create(MapperTestData.FeatureSet(), MapperTestData.Schema, MapperTestData.MaxEntryBytes);

        using MappedChunk chunk = mapper.Map(MapperTestData.Chunk(0, 0, new InputRow("far", EventTime: 253_402_300_799_999_000L)));

        Assert.AreEqual(DeadLetterReason.EventTimeInFuture, chunk.DeadLetters.Single().Reason);
    }

    private static RowMapper Mapper(TimeProvider clock, DateTimeOffset? reference = null, TimeSpan? skew = null)
    {
        FeatureSetOptions featureSet = MapperTestData.FeatureSet();
        featureSet.MaxFutureSkew = skew ?? featureSet.MaxFutureSkew;
        return RowMapper.Create(featureSet, MapperTestData.Schema, MapperTestData.MaxEntryBytes, reference, clock);
    }

    private static MappedChunk Map(RowMapper mapper, long eventTime) =>
        mapper.Map(MapperTestData.Chunk(0, 7, new InputRow("user-1", EventTime: eventTime)));
}
