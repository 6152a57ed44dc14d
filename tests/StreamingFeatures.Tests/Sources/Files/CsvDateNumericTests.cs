using StreamingFeatures.DeadLetters;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Tests.Sources.Files;

/// <summary>CSV columns a schema declares Date or Numeric: parsed exactly, bad cells dead-lettered.</summary>
[TestClass]
public sealed class CsvDateNumericTests
{
    [TestMethod]
    public async Task RunAsync_DateAndNumericSchema_ReadsMidnightsAndExactDecimals()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("n.csv"), "day,amount\n2024-01-02,-12.50\n,\n1969-12-31,99999999999999999999999999999.999999999\n");
        var schema = new SourceSchema([new SourceField("day", ColumnType.Date), new SourceField("amount", ColumnType.Numeric)]);

        CsvFileSource source = await CsvFileSource.OpenAsync(dir.Path, "n.csv", new CsvFileSourceOptions { Schema = schema });
        SourceChunk chunk = (await TempDirectory.RunAsync(source)).Single();

        var days = (Int64Column)chunk.Columns[0];
        Assert.AreEqual(ColumnType.Date, days.Type);
        Assert.AreEqual(19_724 * DateValues.MicrosPerDay, days.Values[0]);
        Assert.IsTrue(days.IsNull(1));
        Assert.AreEqual(-DateValues.MicrosPerDay, days.Values[2]);
        var amounts = (NumericColumn)chunk.Columns[1];
        Assert.AreEqual(NumericColumn.BigQueryScale, amounts.Scale);
        Assert.AreEqual("-12.5", amounts.Describe(0));
        Assert.IsTrue(amounts.IsNull(1));
        Assert.AreEqual("99999999999999999999999999999.999999999", amounts.Describe(2));
    }

    [TestMethod]
    public async Task RunAsync_BadDateAndNumericCells_DeadLetteredWithTheExpectedForm()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("n.csv"), "day,amount\n2024-01-02T00:00:00Z,1\n2024-01-02,0.0000000001\n2024-01-03,2\n");
        var schema = new SourceSchema([new SourceField("day", ColumnType.Date), new SourceField("amount", ColumnType.Numeric)]);
        var sink = new CollectingDeadLetterSink();

        CsvFileSource source = await CsvFileSource.OpenAsync(dir.Path, "n.csv", new CsvFileSourceOptions { Schema = schema }, sink);
        IList<SourceChunk> chunks = await TempDirectory.RunAsync(source);

        Assert.AreEqual(1, chunks.Sum(c => c.RowCount));
        DeadLetter[] letters = [.. sink.Kept.OrderBy(d => d.Offset)];
        Assert.HasCount(2, letters);
        StringAssert.Contains(letters[0].Message, "is not Date (YYYY-MM-DD");
        StringAssert.Contains(letters[1].Message, "'0.0000000001' is not Numeric");
    }
}
