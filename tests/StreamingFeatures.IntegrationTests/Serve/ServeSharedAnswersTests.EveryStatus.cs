using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.IntegrationTests.Serving;
using V1 = StreamingFeatures.Serving.V1;

namespace StreamingFeatures.IntegrationTests.Serve;

public sealed partial class ServeSharedAnswersTests
{
    /// <summary>
    /// A table answering, as of one time, each status for its own entity: <c>present</c> (every feature PRESENT),
    /// <c>nulls</c> (three PRESENT, three NULL_VALUE), <c>old</c> (OUTSIDE_MAX_AGE, its event time but no value) and
    /// <c>ghost</c> (never written: NOT_FOUND).
    /// </summary>
    private sealed class EveryStatus : IDisposable
    {
        private readonly ServingTable _table;
        private readonly Timestamp _asOf;
        private readonly Dictionary<string, V1.FeatureResult[]> _expected;

        private EveryStatus(ServingTable table, DateTimeOffset asOf, Dictionary<string, V1.FeatureResult[]> expected)
        {
            _table = table;
            _asOf = Timestamp.FromDateTimeOffset(asOf);
            _expected = expected;
        }

        public FeatureSetOptions FeatureSet => _table.FeatureSet;

        public static async Task<EveryStatus> CreateAsync(CancellationToken cancellationToken)
        {
            // Event times near now: the emulator's garbage collection drops cells past the family's max age (1 h).
            DateTimeOffset now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            DateTimeOffset recent = now.AddMinutes(-10);
            DateTimeOffset old = now.AddMinutes(-45);
            FeatureSetOptions featureSet = FeatureReaderEmulatorTests.AllTypes(EmulatorFixture.UniqueName("shared"), NullHandling.Skip);
            featureSet.Families["f"] = new ColumnFamilyOptions { MaxAge = TimeSpan.FromHours(1) };
            ServingTable table = await ServingTable.CreateAsync(featureSet, cancellationToken);
            try
            {
                await table.WriteAsync(
                [
                    $"present,{ServingTable.Time(recent)},7,2.5,true,a,AQI=,2026-02-03T04:05:06Z",
                    $"nulls,{ServingTable.Time(recent)},8,0.5,false,,,",
                    $"old,{ServingTable.Time(old)},9,1.5,true,b,AQI=,2026-02-03T04:05:06Z",
                ], cancellationToken);
            }
            catch
            {
                table.Dispose();
                throw;
            }

            V1.FeatureResult Bare(V1.FeatureStatus status) => new() { Status = status };
            V1.FeatureResult Present(V1.FeatureValue value) => new() { Status = V1.FeatureStatus.Present, Value = value, EventTime = Timestamp.FromDateTimeOffset(recent) };
            V1.FeatureResult Expired() => new() { Status = V1.FeatureStatus.OutsideMaxAge, EventTime = Timestamp.FromDateTimeOffset(old) };
            var expected = new Dictionary<string, V1.FeatureResult[]>(StringComparer.Ordinal)
            {
                ["present"] =
                [
                    Present(new() { Int64Value = 7 }), Present(new() { Float64Value = 2.5 }), Present(new() { BoolValue = true }), Present(new() { StringValue = "a" }),
                    Present(new() { BytesValue = ByteString.CopyFrom(1, 2) }), Present(new() { TimestampValue = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero)) }),
                ],
                ["nulls"] =
                [
                    Present(new() { Int64Value = 8 }), Present(new() { Float64Value = 0.5 }), Present(new() { BoolValue = false }),
                    Bare(V1.FeatureStatus.NullValue), Bare(V1.FeatureStatus.NullValue), Bare(V1.FeatureStatus.NullValue),
                ],
                ["old"] = [.. Enumerable.Range(0, 6).Select(_ => Expired())],
                ["ghost"] = [.. Enumerable.Range(0, 6).Select(_ => Bare(V1.FeatureStatus.NotFound))],
            };
            return new EveryStatus(table, now.AddMinutes(20), expected);
        }

        /// <summary>A read of every feature of <paramref name="keys"/>, as of the table's one time (so answers compare whole).</summary>
        public V1.GetOnlineFeaturesRequest Request(params string[] keys)
        {
            var request = new V1.GetOnlineFeaturesRequest { FeatureSet = FeatureSet.Table, AsOf = _asOf };
            request.Entities.AddRange(keys.Select(k => new V1.EntityKey { Parts = { k } }));
            return request;
        }

        /// <summary>The entity is <paramref name="key"/> and its results are exactly its status's: a bare NOT_FOUND/NULL_VALUE has no value or event time.</summary>
        public void AssertAnswer(string key, V1.EntityFeatures answer)
        {
            CollectionAssert.AreEqual(new[] { key }, answer.Entity.Parts.ToArray());
            CollectionAssert.AreEqual(_expected[key], answer.Features.ToArray(), $"{key}: {answer}");
        }

        public void Dispose() => _table.Dispose();
    }
}
