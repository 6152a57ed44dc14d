using System.Globalization;
using System.Text;
using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Sources.Files;

public sealed partial class CsvFileSource
{
    /// <summary>The start of a rejected record kept in its dead letter: the whole of a usual line, never a huge one.</summary>
    internal const int MaxRecordInDeadLetter = 4_096;

    /// <summary>The dead letter of a record that is not a row of this file's header, or null when it is one.</summary>
    private DeadLetter? Malformed(CsvRecordReader reader, int partition, long offset, int width)
    {
        (DeadLetterReason reason, string what) = reader.Status switch
        {
            CsvRecordStatus.UnclosedQuote => (DeadLetterReason.UnclosedQuote, Describe(reader.Status) + (_options.AllowQuotedNewlines ? string.Empty : " (quoted fields may not span lines unless quoted newlines are allowed)")),
            CsvRecordStatus.TextAfterQuote => (DeadLetterReason.Unparseable, Describe(reader.Status)),
            CsvRecordStatus.TooLarge => (DeadLetterReason.RecordTooLarge, Invariant($"the record is {reader.RecordBytes} bytes; the limit is {_options.MaxRecordBytes} (max record bytes)")),
            _ when reader.FieldCount > width => (DeadLetterReason.ExtraFields, Invariant($"the record has {reader.FieldCount} fields; the header has {width}")),
            _ when reader.FieldCount < width => (DeadLetterReason.MissingFields, Invariant($"the record has {reader.FieldCount} fields; the header has {width}")),
            _ => (default, string.Empty),
        };
        return what.Length == 0 ? null : Rejection(reader, partition, offset, reason, $"{Where(reader, partition)}: {what}.", field: null);
    }

    private DeadLetter BadValue(CsvRecordReader reader, int partition, long offset, SourceField field, ReadOnlySpan<byte> value)
    {
        string text = Encoding.UTF8.GetString(value[..Math.Min(value.Length, MaxValueInMessage)]) + (value.Length > MaxValueInMessage ? "…" : string.Empty);
        string message = $"{Where(reader, partition)}, column '{field.Name}': '{text}' is not {CsvValues.Expected(field.Type)}.";
        return Rejection(reader, partition, offset, DeadLetterReason.BadValue, message, field.Name);
    }

    private DeadLetter Rejection(CsvRecordReader reader, int partition, long offset, DeadLetterReason reason, string message, string? field) => new(
        reason,
        message,
        partition,
        offset,
        Field: field,
        File: FileGlob.Display(_baseDirectory, _files[partition]),
        FirstLine: reader.FirstLine,
        LastLine: reader.LastLine,
        RecordBytes: reader.RecordBytes,
        Record: Encoding.UTF8.GetString(reader.Prefix(MaxRecordInDeadLetter)));

    /// <summary><c>data.csv line 7</c> or <c>data.csv lines 7–9</c>.</summary>
    private string Where(CsvRecordReader reader, int partition) => reader.LastLine == reader.FirstLine
        ? Invariant($"{FileGlob.Display(_baseDirectory, _files[partition])} line {reader.FirstLine}")
        : Invariant($"{FileGlob.Display(_baseDirectory, _files[partition])} lines {reader.FirstLine}–{reader.LastLine}");

    private static string Describe(CsvRecordStatus status) => status switch
    {
        CsvRecordStatus.UnclosedQuote => "a quoted field does not close",
        CsvRecordStatus.TextAfterQuote => "text follows a closing quote (a quote inside a quoted field must be doubled)",
        CsvRecordStatus.TooLarge => "the record is longer than the limit",
        _ => "well formed",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
