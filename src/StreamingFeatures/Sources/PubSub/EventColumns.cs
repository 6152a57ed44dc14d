using System.Text.Json;
using Google.Cloud.PubSub.V1;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// Turns messages into the rows of one chunk, column by column: a message's data is one JSON object read with
/// <see cref="Utf8JsonReader"/> straight into the column builders; a column missing from it comes from the attribute
/// of its name, else is null; a missing event time is the publish time when allowed. A message that cannot be a row
/// (not a JSON object, no entity key, a value of the wrong type, no event time) is refused with its reason and a
/// detail naming field and value, and leaves nothing behind. One instance per stream; not thread-safe.
/// </summary>
internal sealed partial class EventColumns
{
    private readonly EventSchema _schema;
    private readonly bool _publishTimeFallback;
    private readonly JsonColumnBuilder[] _builders;
    private readonly int[] _seen;
    private int _stamp;

    public EventColumns(EventSchema schema, int capacity, bool publishTimeFallback)
    {
        _schema = schema;
        _publishTimeFallback = publishTimeFallback;
        _builders = [.. schema.Types.Select(t => JsonColumnBuilder.Create(t, capacity))];
        _seen = new int[_builders.Length];
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Rows added since the last <see cref="Build"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the message as a row; false (adding nothing) when it is poison, with why.</summary>
    public bool TryAdd(PubsubMessage message, out DeadLetterReason reason, out string detail)
    {
        int row = Count;
        _stamp++;
        (reason, detail) = (default, string.Empty);
        string? problem = ReadJson(message.Data.Span, row, ref reason)
            ?? ReadAttributes(message, ref reason)
            ?? CheckEventTime(message, row, ref reason)
            ?? CheckKeys(row, ref reason);
        if (problem is not null)
        {
            foreach (JsonColumnBuilder builder in _builders)
            {
                builder.Truncate(row);
            }

            detail = problem;
            return false;
        }

        Count++;
        return true;
    }

    /// <summary>The rows so far as column vectors, in schema order; starts a new chunk.</summary>
    public ColumnVector[] Build()
    {
        var columns = new ColumnVector[_builders.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = _builders[i].Build();
        }

        Count = 0;
        return columns;
    }

    private string? ReadJson(ReadOnlySpan<byte> data, int row, ref DeadLetterReason reason)
    {
        try
        {
            var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = 64 });
            if (!StartsObject(ref reader))
            {
                reason = DeadLetterReason.Unparseable;
                return $"The message data is not a JSON object: it starts with {Describe.Start(data)}.";
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                int ordinal = Lookup(ref reader);
                reader.Read();
                if (ordinal < 0)
                {
                    reader.Skip();
                    continue;
                }

                if (_seen[ordinal] == _stamp)
                {
                    _builders[ordinal].Truncate(row); // A repeated property: the last one wins, as in JSON.parse.
                }

                _seen[ordinal] = _stamp;
                if (reader.TokenType == JsonTokenType.Null)
                {
                    _builders[ordinal].AppendNull();
                }
                else if (!_builders[ordinal].TryAppend(ref reader, _schema.IsKey[ordinal]))
                {
                    reason = DeadLetterReason.BadValue;
                    return $"Field '{_schema.Names[ordinal]}' is {Describe.Token(ref reader)}; expected {Describe.Expected(_schema.Types[ordinal])}.";
                }
            }

            // Anything after the object (other than white space) makes the reader throw.
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException e)
        {
            reason = DeadLetterReason.Unparseable;
            return $"The message data is not valid JSON: {e.Message}";
        }
        catch (InvalidOperationException e)
        {
            // The reader refuses a string that is not valid UTF-8 when it unescapes it.
            reason = DeadLetterReason.Unparseable;
            return $"The message data is not valid JSON: {e.Message}";
        }
    }

    private static bool StartsObject(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private int Lookup(ref Utf8JsonReader reader)
    {
        int length = reader.ValueSpan.Length;
        if (!reader.ValueIsEscaped && length > _schema.MaxNameBytes)
        {
            return -1;
        }

        Span<char> name = length <= 256 ? stackalloc char[256] : new char[length];
        int chars = reader.CopyString(name);
        return _schema.Lookup.TryGetValue(name[..chars], out int ordinal) ? ordinal : -1;
    }
}
