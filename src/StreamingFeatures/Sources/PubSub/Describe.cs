using System.Text;
using System.Text.Json;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>Values as dead-letter details show them: short, quoted, never the whole payload (poison path only).</summary>
internal static class Describe
{
    private const int MaxChars = 100;

    public static string Expected(ColumnType type) => type switch
    {
        ColumnType.Int64 => "Int64 (an integer such as -42, or a string of one)",
        ColumnType.Float64 => "Float64 (a number such as 1.5, or a string of one)",
        ColumnType.Bool => "Bool (true or false)",
        ColumnType.String => "String (a JSON string)",
        ColumnType.Bytes => "Bytes (a base64 string)",
        ColumnType.Timestamp => "Timestamp (an RFC 3339 string such as 2024-01-02T03:04:05.123Z, or an integer of microseconds since the epoch)",
        _ => CsvValues.Expected(type),
    };

    /// <summary>The JSON value the reader is on.</summary>
    public static string Token(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "the string \"" + Text(Encoding.UTF8.GetString(reader.ValueSpan)) + "\"",
        JsonTokenType.Number => "the number " + Text(Encoding.UTF8.GetString(reader.ValueSpan)),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => reader.TokenType.ToString(),
    };

    /// <summary>The start of a payload that is not a JSON object.</summary>
    public static string Start(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return "nothing (the data is empty)";
        }

        ReadOnlySpan<byte> head = data[..Math.Min(data.Length, MaxChars)];
        return "'" + Encoding.UTF8.GetString(head) + (data.Length > MaxChars ? "…'" : "'") + $" ({data.Length} bytes)";
    }

    public static string Text(string text) => text.Length <= MaxChars ? text : text[..MaxChars] + "…";
}
