using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Tests.Pipeline;
using StreamingFeatures.Verification;
using Chunk = Google.Cloud.Bigtable.V2.ReadRowsResponse.Types.CellChunk;
using PendingRow = StreamingFeatures.Verification.ReadBackJob.PendingRow;

namespace StreamingFeatures.Tests.Verification;

/// <summary>The superseded figure from the read-back's response bytes to the source range's counts.</summary>
public sealed partial class CutoverReadBackTests
{
    [TestMethod]
    public void IsSuperseded_FromResponseBytes_OnlyTheOverwrittenRow()
    {
        RowMapper mapper = MapperTestData.Mapper();
        (_, StoredRow overwritten, MappedRow first, byte[] firstMutations) = Land(NullHandling.Skip, new InputRow("user-1", Backfill));
        (_, StoredRow lost, MappedRow second, byte[] secondMutations) = Land(NullHandling.Skip, new InputRow("user-2", Backfill));
        overwritten.Apply(Entry(mapper, new InputRow("user-1", Backfill + Minute, Score: 9)));
        overwritten.CollectGarbage(MapperTestData.FeatureSet());
        Row lostRow = lost.Read()!;
        lostRow.Families.Single(f => f.Name == "f").Columns.RemoveAt(0);
        Row overwrittenRow = overwritten.Read()!;
        PendingRow[] keys = [new(overwrittenRow.Key, first.Digest, first.TimestampMicros, -1, firstMutations), new(lostRow.Key, second.Digest, second.TimestampMicros, -1, secondMutations)];
        var digester = new ReadRowsDigester(new RowDigester(mapper));

        digester.Start(keys);
        foreach (Row row in new[] { overwrittenRow, lostRow }.OrderBy(r => r.Key.ToStringUtf8(), StringComparer.Ordinal))
        {
            digester.Add(Response(row).ToByteArray());
        }

        digester.Complete();
        Assert.IsTrue(digester.TryGetDigest(0, out ulong overwrittenDigest));
        Assert.IsTrue(digester.TryGetDigest(1, out ulong lostDigest));
        Assert.AreNotEqual(first.Digest, overwrittenDigest);
        Assert.AreNotEqual(second.Digest, lostDigest);
        Assert.IsTrue(digester.IsSuperseded(0));
        Assert.IsFalse(digester.IsSuperseded(1));
    }

    [TestMethod]
    public void NoteSuperseded_CountedApartFromMatchedAndChanged()
    {
        var job = new ReadBackJob();
        for (int offset = 0; offset < 4; offset++)
        {
            job.AddWritten(0, offset, (ulong)offset);
            job.AddKey(ByteString.CopyFromUtf8("k" + offset), (ulong)offset, Backfill, []);
        }

        job.NoteSuperseded(job.Keys[0]);
        job.NoteProblem(job.Keys[1], missing: false);

        RowStats stats = job.Ranges().Single().Stats;
        Assert.AreEqual((4L, 1L, 1L, 0L, 2L), (stats.Verified, stats.Superseded, stats.Changed, stats.Missing, stats.Matched));
        Assert.AreEqual(2L, (stats + stats).Superseded);
    }

    /// <summary>The row as one response: a chunk per cell, the row key on the first only.</summary>
    private static ReadRowsResponse Response(Row row)
    {
        var response = new ReadRowsResponse();
        foreach (Family family in row.Families)
        {
            foreach (Column column in family.Columns)
            {
                foreach (Cell cell in column.Cells)
                {
                    response.Chunks.Add(new Chunk
                    {
                        RowKey = response.Chunks.Count == 0 ? row.Key : ByteString.Empty,
                        FamilyName = family.Name,
                        Qualifier = column.Qualifier,
                        TimestampMicros = cell.TimestampMicros,
                        Value = cell.Value,
                    });
                }
            }
        }

        response.Chunks[^1].CommitRow = true;
        return response;
    }
}
