using System.Text;
using System.Text.Json;

namespace StreamingFeatures.FeatureSets;

/// <summary>
/// Reads JSON into <see cref="SettingNode"/>s with <see cref="Utf8JsonReader"/>, which (unlike JsonDocument) gives each
/// token's offset, so semantic errors can carry a line and column too.
/// </summary>
internal static class JsonSettingReader
{
    // Config files are edited by hand: comments and trailing commas are kindnesses, not ambiguities.
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static SettingNode Read(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        int[] lineStarts = LineStarts(utf8);
        var reader = new Utf8JsonReader(utf8, Options);
        try
        {
            reader.Read();
            SettingNode root = ReadValue(ref reader, utf8, lineStarts);
            reader.Read(); // throws on anything but comments and whitespace after the root value
            return root;
        }
        catch (JsonException e)
        {
            var position = new TextPosition((e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1);
            throw new SettingSyntaxException(position, "JSON syntax error: " + Trim(e.Message), e);
        }
    }

    private static SettingNode ReadValue(ref Utf8JsonReader reader, byte[] utf8, int[] lineStarts)
    {
        TextPosition position = At(utf8, lineStarts, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<SettingEntry>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    TextPosition keyPosition = At(utf8, lineStarts, reader.TokenStartIndex);
                    string key = reader.GetString()!;
                    reader.Read();
                    entries.Add(new SettingEntry(key, keyPosition, ReadValue(ref reader, utf8, lineStarts)));
                }

                return new SettingMapping(position, entries);
            case JsonTokenType.StartArray:
                var items = new List<SettingNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, utf8, lineStarts));
                }

                return new SettingSequence(position, items);
            case JsonTokenType.String:
                return new SettingScalar(position, ScalarKind.String, reader.GetString()!);
            case JsonTokenType.Number:
                return new SettingScalar(position, ScalarKind.Number, Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.True or JsonTokenType.False:
                return new SettingScalar(position, ScalarKind.Boolean, reader.TokenType == JsonTokenType.True ? "true" : "false");
            default:
                return new SettingScalar(position, ScalarKind.Null, "null");
        }
    }

    private static int[] LineStarts(byte[] utf8)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return [.. starts];
    }

    private static TextPosition At(byte[] utf8, int[] lineStarts, long offset)
    {
        int line = Array.BinarySearch(lineStarts, (int)offset);
        line = line >= 0 ? line : ~line - 1;
        int column = Encoding.UTF8.GetCharCount(utf8, lineStarts[line], (int)offset - lineStarts[line]);
        return new TextPosition(line + 1, column + 1);
    }

    // The reader appends "LineNumber: 2 | BytePositionInLine: 4." (0-based); the loader reports a 1-based position instead.
    private static string Trim(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        cut = cut >= 0 ? cut : message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut >= 0 ? message[..cut] : message).TrimEnd(' ', '|', '.');
    }
}
