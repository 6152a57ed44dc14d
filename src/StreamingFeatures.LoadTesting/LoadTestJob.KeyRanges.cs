using Google.Cloud.Bigtable.V2;

namespace StreamingFeatures.LoadTesting;

/// <summary>The hotspot heatmap's key ranges: the table's own split points where it has any, else even splits.</summary>
public sealed partial class LoadTestJob
{
    private async Task<KeyRanges> KeyRangesAsync(string tableName, ILoadTestListener listener, CancellationToken stop)
    {
        if (_profile.Measure.KeyRangeSource == KeyRangeSource.Sampled)
        {
            var client = new Google.Cloud.Bigtable.V2.Bigtable.BigtableClient(_bigtable.Data);
            using var call = client.SampleRowKeys(new SampleRowKeysRequest { TableName = tableName, AppProfileId = _bigtable.AppProfileId ?? string.Empty }, cancellationToken: stop);
            var keys = new List<byte[]>();
            while (await call.ResponseStream.MoveNext(stop).ConfigureAwait(false))
            {
                keys.Add(call.ResponseStream.Current.RowKey.ToByteArray());
            }

            if (keys.Any(k => k.Length > 0))
            {
                return KeyRanges.FromSplits(keys, LoadPlan.RowKey(_profile));
            }

            listener.Note("SampleRowKeys gave no split points (a new or small table): using even splits of the key space.");
        }

        return LoadPlan.EvenRanges(_profile);
    }
}
