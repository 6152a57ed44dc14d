using Google.Cloud.PubSub.V1;
using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Sources.PubSub;

internal sealed partial class EventColumns
{
    /// <summary>Columns the JSON did not name: the attribute of that name, parsed to the column's type, else null.</summary>
    private string? ReadAttributes(PubsubMessage message, ref DeadLetterReason reason)
    {
        for (int ordinal = 0; ordinal < _builders.Length; ordinal++)
        {
            if (_seen[ordinal] == _stamp)
            {
                continue;
            }

            if (message.Attributes.Count == 0 || !message.Attributes.TryGetValue(_schema.Names[ordinal], out string? text))
            {
                _builders[ordinal].AppendNull();
            }
            else if (!_builders[ordinal].TryAppendText(text))
            {
                reason = DeadLetterReason.BadValue;
                return $"Attribute '{_schema.Names[ordinal]}' is '{Describe.Text(text)}'; expected {Describe.Expected(_schema.Types[ordinal])}.";
            }
        }

        return null;
    }

    private string? CheckEventTime(PubsubMessage message, int row, ref DeadLetterReason reason)
    {
        JsonColumnBuilder builder = _builders[_schema.EventTimeOrdinal];
        if (!builder.IsNull(row))
        {
            return null;
        }

        string name = _schema.Names[_schema.EventTimeOrdinal];
        if (!_publishTimeFallback || message.PublishTime is null)
        {
            reason = DeadLetterReason.BadEventTime;
            return _publishTimeFallback
                ? $"Event time '{name}' is missing or null, and the message has no publish time to stand in."
                : $"Event time '{name}' is missing or null (neither a JSON property nor an attribute), and PublishTimeFallback is off.";
        }

        builder.Truncate(row);
        long micros = (message.PublishTime.Seconds * 1_000_000) + (message.PublishTime.Nanos / 1_000);
        ((JsonColumnBuilder.Int64Builder)builder).Append(micros);
        return null;
    }

    private string? CheckKeys(int row, ref DeadLetterReason reason)
    {
        bool empty = true;
        foreach (int ordinal in _schema.KeyOrdinals)
        {
            JsonColumnBuilder builder = _builders[ordinal];
            if (builder.IsNull(row))
            {
                reason = DeadLetterReason.EmptyKey;
                return $"Entity key '{_schema.Names[ordinal]}' is missing or null (neither a JSON property nor an attribute).";
            }

            empty &= builder is JsonColumnBuilder.BinaryBuilder binary && binary.LengthOf(row) == 0;
        }

        if (empty)
        {
            reason = DeadLetterReason.EmptyKey;
            return $"Entity key ({string.Join(",", _schema.Names.Where((_, i) => _schema.IsKey[i]))}) is empty; a row key needs at least one byte of entity.";
        }

        return null;
    }
}
