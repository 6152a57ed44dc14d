using Google.Cloud.BigQuery.Storage.V1;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.BigQuery;

/// <summary>Row restrictions with OR, NOT, IN, BETWEEN and LIKE, served over gRPC and checked against the source.</summary>
public sealed partial class BigQueryStorageEmulatorTests
{
    [TestMethod]
    public async Task ReadRows_OrNotInBetweenLikeRestriction_ReturnsExactlyTheMatchingRows()
    {
        const string Restriction =
            "(MOD(f0, 5) IN (1, -1) OR entity_id LIKE 'user-00000012%') AND NOT f1 BETWEEN 0 AND 4611686018427387904 "
            + "AND entity_id NOT LIKE '%7'";
        ReadSession session = await CreateRestrictedSessionAsync(Restriction, maxStreams: 3);
        var expected = Enumerable.Range(0, Rows).Where(r =>
        {
            long f0 = Source.Int64Value(r, 0);
            long f1 = Source.Int64Value(r, 1);
            string entity = SyntheticSource.EntityId(Source.EntityOf(r));
            return (f0 % 5 is 1 or -1 || entity.StartsWith("user-00000012", StringComparison.Ordinal))
                && !(f1 >= 0 && f1 <= 4611686018427387904)
                && !entity.EndsWith('7');
        }).Select(r => (long)r).ToList();

        List<long> actual = await ReadRowNumbersAsync(session);

        Assert.IsNotEmpty(expected);
        CollectionAssert.AreEqual(expected, actual);
    }
}
