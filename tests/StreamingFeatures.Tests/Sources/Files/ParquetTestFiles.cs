using Parquet;
using Parquet.Schema;

namespace StreamingFeatures.Tests.Sources.Files;

/// <summary>Writes small Parquet files column by column with Parquet.Net's low-level writer.</summary>
internal static class ParquetTestFiles
{
    /// <summary>One column's values for every row group, written as typed arrays.</summary>
    public delegate Task ColumnWriter(ParquetRowGroupWriter rowGroup, DataField field, int group);

    public static async Task WriteAsync(string path, DataField[] fields, int rowGroups, params ColumnWriter[] columns)
    {
        await using FileStream stream = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        for (int g = 0; g < rowGroups; g++)
        {
            using ParquetRowGroupWriter rowGroup = writer.CreateRowGroup();
            for (int c = 0; c < fields.Length; c++)
            {
                await columns[c](rowGroup, fields[c], g);
            }
        }
    }

    /// <summary>A file of <c>id</c> (int64) and <c>name</c> (string) rows: id = <paramref name="firstId"/> + row.</summary>
    public static Task WriteIdsAsync(string path, long firstId, params int[] rowGroupSizes)
    {
        DataField[] fields = [new DataField<long>("id"), new DataField<string>("name")];
        long[] starts = new long[rowGroupSizes.Length];
        for (int g = 1; g < rowGroupSizes.Length; g++)
        {
            starts[g] = starts[g - 1] + rowGroupSizes[g - 1];
        }

        return WriteAsync(path, fields, rowGroupSizes.Length,
            (rg, f, g) => rg.WriteAsync<long>(f, Enumerable.Range(0, rowGroupSizes[g]).Select(i => firstId + starts[g] + i).ToArray()),
            (rg, f, g) => rg.WriteAsync(f, Enumerable.Range(0, rowGroupSizes[g]).Select(i => $"n{firstId + starts[g] + i}").ToArray()));
    }
}
