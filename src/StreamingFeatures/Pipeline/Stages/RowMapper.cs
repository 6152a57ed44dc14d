using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.IO.Hashing;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Pipeline.Stages;

/// <summary>
/// Maps source chunks to encoded MutateRows entries: row key, one SetCell per feature stamped with the event time
/// (or a bounded DeleteFromColumn for a null, when asked), and a digest of the entry for verification. Records that
/// cannot be written become dead letters; nothing here throws per record. Thread-safe: one mapper serves every
/// parallel map worker.
/// </summary>
internal sealed partial class RowMapper
{
    /// <summary>Bigtable's limit on one cell value.</summary>
    public const int MaxValueBytes = 100 * 1024 * 1024;

    // Entry: row_key = 1, mutations = 2. Mutation: set_cell = 1, delete_from_column = 2. Request: entries = 2.
    private const int EntriesField = 2;
    private const int RowKeyField = 1;
    private const int MutationsField = 2;
    private const int SetCellField = 1;
    private const int DeleteFromColumnField = 2;
    private const int Skipped = -1;
    private const int Deleted = -2;

    private readonly FeaturePlan[] _features;
    private readonly int[] _keyOrdinals;
    private readonly int _eventTimeOrdinal;
    private readonly string _eventTimeName;
    private readonly string[] _keyNames;
    private readonly RowKeyFormat _keys;
    private readonly NullHandling _nulls;
    private readonly int _maxEntryBytes;
    private readonly EventTimeHorizon _horizon;

    private RowMapper(FeaturePlan[] features, int[] keyOrdinals, string[] keyNames, int eventTimeOrdinal, string eventTimeName, FeatureSetOptions featureSet, int maxEntryBytes, EventTimeHorizon horizon)
    {
        _horizon = horizon;
        _features = features;
        _keyOrdinals = keyOrdinals;
        _keyNames = keyNames;
        _eventTimeOrdinal = eventTimeOrdinal;
        _eventTimeName = eventTimeName;
        _keys = new RowKeyFormat(featureSet.RowKey);
        _nulls = featureSet.Nulls;
        _maxEntryBytes = maxEntryBytes;
    }

    public RowKeyFormat Keys => _keys;

    public IReadOnlyList<FeaturePlan> Features => _features;

    public NullHandling Nulls => _nulls;

    public MappedChunk Map(SourceChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var rows = new RowBuffer(chunk.RowCount * (64 + (_features.Length * 32)), chunk.RowCount);
        List<DeadLetter>? deadLetters = null;
        byte[] entity = ArrayPool<byte>.Shared.Rent((RowKeyFormat.MaxKeyBytes * 2) + 64);
        byte[] key = ArrayPool<byte>.Shared.Rent(RowKeyFormat.MaxKeyBytes + 64);
        int[] lengths = ArrayPool<int>.Shared.Rent(_features.Length);
        try
        {
            var eventTimes = (Int64Column)chunk.Columns[_eventTimeOrdinal];
            long latest = _horizon.LimitMicros();
            for (int row = 0; row < chunk.RowCount; row++)
            {
                DeadLetter? problem = MapRow(chunk, row, eventTimes, latest, rows, entity, key, lengths);
                if (problem is not null)
                {
                    (deadLetters ??= []).Add(problem);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(entity);
            ArrayPool<byte>.Shared.Return(key);
            ArrayPool<int>.Shared.Return(lengths);
        }

        return new MappedChunk(chunk.Partition, chunk.FirstOffset, chunk.RowCount, rows, (IReadOnlyList<DeadLetter>?)deadLetters ?? []);
    }

    private DeadLetter? MapRow(SourceChunk chunk, int row, Int64Column eventTimes, long latest, RowBuffer rows, byte[] entityScratch, byte[] keyScratch, int[] lengths)
    {
        long offset = chunk.FirstOffset + row;

        // One unsigned comparison refuses both a time before the epoch (negative) and one past the horizon.
        if (eventTimes.IsNull(row) || (ulong)eventTimes.Values[row] > (ulong)latest)
        {
            if (!eventTimes.IsNull(row) && eventTimes.Values[row] >= 0)
            {
                return new DeadLetter(
                    DeadLetterReason.EventTimeInFuture,
                    _horizon.Describe(_eventTimeName, eventTimes.Values[row], latest),
                    chunk.Partition,
                    offset,
                    Field: _eventTimeName);
            }

            return new DeadLetter(
                DeadLetterReason.BadEventTime,
                $"Event time '{_eventTimeName}' is {eventTimes.Describe(row)}; a cell timestamp needs a time at or after 1970-01-01T00:00:00Z.",
                chunk.Partition,
                offset,
                Field: _eventTimeName);
        }

        long eventTime = eventTimes.Values[row];
        long timestamp = CellEncoding.CellTimestampMicros(eventTime);
        int entityLength = WriteEntity(chunk, row, entityScratch, out DeadLetter? keyProblem);
        if (keyProblem is not null)
        {
            return keyProblem;
        }

        int keyLength = _keys.Write(entityScratch.AsSpan(0, entityLength), eventTime, keyScratch.AsSpan(0, RowKeyFormat.MaxKeyBytes), out int bucket);
        if (keyLength < 0)
        {
            return new DeadLetter(
                DeadLetterReason.KeyTooLong,
                $"Row key would be {entityLength + _keys.Overhead} bytes; Bigtable allows at most {RowKeyFormat.MaxKeyBytes}. Entity key ({string.Join(",", _keyNames)}) starts '{RowKeyFormat.Display(entityScratch.AsSpan(0, Math.Min(entityLength, 64)))}'.",
                chunk.Partition,
                offset,
                Field: string.Join(",", _keyNames));
        }

        ReadOnlySpan<byte> rowKey = keyScratch.AsSpan(0, keyLength);
        int body = ProtoWire.FieldSize(keyLength);
        int mutations = 0;
        for (int f = 0; f < _features.Length; f++)
        {
            FeaturePlan feature = _features[f];
            ColumnVector column = chunk.Columns[feature.Ordinal];
            if (column.IsNull(row))
            {
                if (!feature.Nullable)
                {
                    return new DeadLetter(
                        DeadLetterReason.NullValue,
                        $"Feature '{feature.Name}' is null but not nullable.",
                        chunk.Partition,
                        offset,
                        RowKeyFormat.Display(rowKey),
                        feature.Name);
                }

                if (_nulls == NullHandling.Skip)
                {
                    lengths[f] = Skipped;
                    continue;
                }

                lengths[f] = Deleted;
                body += ProtoWire.FieldSize(ProtoWire.FieldSize(feature.DeleteSize(timestamp)));
                mutations++;
                continue;
            }

            int valueLength = feature.Conversion == CellConversion.None ? ValueLength(column, row) : ConvertedLength(feature, column, row);
            if (valueLength < 0)
            {
                return new DeadLetter(
                    DeadLetterReason.BadValue,
                    $"Feature '{feature.Name}' is {column.Describe(row)}, which has no {feature.Conversion} value.",
                    chunk.Partition,
                    offset,
                    RowKeyFormat.Display(rowKey),
                    feature.Name);
            }

            if (valueLength > MaxValueBytes)
            {
                return new DeadLetter(
                    DeadLetterReason.ValueTooLarge,
                    $"Feature '{feature.Name}' is {valueLength} bytes; Bigtable allows at most {MaxValueBytes} per cell.",
                    chunk.Partition,
                    offset,
                    RowKeyFormat.Display(rowKey),
                    feature.Name);
            }

            lengths[f] = valueLength;
            body += ProtoWire.FieldSize(ProtoWire.FieldSize(feature.SetCellSize(timestamp, valueLength)));
            mutations++;
        }

        int entryLength = ProtoWire.FieldSize(body);
        if (entryLength > _maxEntryBytes)
        {
            return new DeadLetter(
                DeadLetterReason.ValueTooLarge,
                $"Row is {entryLength} bytes encoded; a MutateRows request here allows at most {_maxEntryBytes}.",
                chunk.Partition,
                offset,
                RowKeyFormat.Display(rowKey));
        }

        int start = rows.ByteCount;
        Span<byte> entry = rows.Reserve(entryLength);
        int at = ProtoWire.WriteHeader(entry, EntriesField, body);
        int bodyStart = at;
        at += ProtoWire.WriteHeader(entry[at..], RowKeyField, keyLength);
        int keyStart = at;
        rowKey.CopyTo(entry[at..]);
        at += keyLength;
        for (int f = 0; f < _features.Length; f++)
        {
            if (lengths[f] == Skipped)
            {
                continue;
            }

            at += lengths[f] == Deleted
                ? WriteDelete(entry[at..], _features[f], timestamp)
                : WriteSetCell(entry[at..], _features[f], chunk.Columns[_features[f].Ordinal], row, timestamp, lengths[f]);
        }

        ulong digest = XxHash3.HashToUInt64(entry[bodyStart..at]);
        rows.Add(new MappedRow(start, entryLength, start + keyStart, keyLength, mutations, bucket, chunk.Partition, offset, timestamp, digest));
        return null;
    }

    private int WriteEntity(SourceChunk chunk, int row, byte[] destination, out DeadLetter? problem)
    {
        problem = null;
        int length = 0;
        Span<byte> digits = stackalloc byte[20];
        for (int k = 0; k < _keyOrdinals.Length; k++)
        {
            ColumnVector column = chunk.Columns[_keyOrdinals[k]];
            if (column.IsNull(row))
            {
                problem = new DeadLetter(DeadLetterReason.EmptyKey, $"Entity key column '{_keyNames[k]}' is null.", chunk.Partition, chunk.FirstOffset + row, Field: _keyNames[k]);
                return 0;
            }

            if (k > 0)
            {
                destination[length++] = _keys.Delimiter;
            }

            scoped ReadOnlySpan<byte> raw;
            if (column is Int64Column numbers)
            {
                Utf8Formatter.TryFormat(numbers.Values[row], digits, out int written);
                raw = digits[..written];
            }
            else
            {
                raw = ((BinaryColumn)column).Get(row);
            }

            // Escaping at most doubles a part; past the key limit the row is refused anyway.
            int room = Math.Min(destination.Length - length, (RowKeyFormat.MaxKeyBytes * 2) - length);
            int escaped = raw.Length * 2 <= room ? _keys.WriteEscaped(raw, destination.AsSpan(length, room)) : -1;
            if (escaped < 0)
            {
                // Too long to be a key: keep this entity's first bytes for the dead letter, and a size at least the real one.
                raw[..Math.Min(raw.Length, 64)].CopyTo(destination.AsSpan(length));
                return length + raw.Length;
            }

            length += escaped;
        }

        if (length == 0)
        {
            problem = new DeadLetter(
                DeadLetterReason.EmptyKey,
                $"Entity key ({string.Join(",", _keyNames)}) is empty; a row key needs at least one byte of entity.",
                chunk.Partition,
                chunk.FirstOffset + row,
                Field: string.Join(",", _keyNames));
        }

        return length;
    }

    private static int ValueLength(ColumnVector column, int row) => column switch
    {
        Int64Column => CellEncoding.Int64Size,
        Float64Column => CellEncoding.Float64Size,
        BoolColumn => CellEncoding.BoolSize,
        BinaryColumn binary => binary.Offsets[row + 1] - binary.Offsets[row],
        _ => throw new InvalidOperationException($"Unknown column type {column.GetType().Name}."),
    };

    private static int WriteSetCell(Span<byte> destination, FeaturePlan feature, ColumnVector column, int row, long timestamp, int valueLength)
    {
        int at = WriteSetCellHeader(destination, feature, timestamp, valueLength);
        Span<byte> value = destination.Slice(at, valueLength);
        if (feature.Conversion != CellConversion.None)
        {
            WriteConverted(value, feature, column, row);
            return at + valueLength;
        }

        switch (column)
        {
            case Int64Column numbers:
                CellEncoding.WriteInt64(value, numbers.Values[row]);
                break;
            case Float64Column floats:
                CellEncoding.WriteFloat64(value, floats.Values[row]);
                break;
            case BoolColumn bools:
                CellEncoding.WriteBool(value, bools.Values[row]);
                break;
            case BinaryColumn binary:
                binary.Get(row).CopyTo(value);
                break;
        }

        return at + valueLength;
    }

    /// <summary>Writes a SetCell mutation up to its value; returns where the value goes.</summary>
    internal static int WriteSetCellHeader(Span<byte> destination, FeaturePlan feature, long timestamp, int valueLength)
    {
        int setCell = feature.SetCellSize(timestamp, valueLength);
        int at = ProtoWire.WriteHeader(destination, MutationsField, ProtoWire.FieldSize(setCell));
        at += ProtoWire.WriteHeader(destination[at..], SetCellField, setCell);
        feature.FamilyQualifier.CopyTo(destination[at..]);
        at += feature.FamilyQualifier.Length;
        destination[at++] = FeaturePlan.TimestampTag;
        at += ProtoWire.WriteVarint(destination[at..], (ulong)timestamp);
        destination[at++] = FeaturePlan.ValueTag;
        at += ProtoWire.WriteVarint(destination[at..], (ulong)valueLength);
        return at;
    }

    internal static int WriteDelete(Span<byte> destination, FeaturePlan feature, long timestamp)
    {
        int delete = feature.DeleteSize(timestamp);
        long end = FeaturePlan.DeleteEnd(timestamp);
        int at = ProtoWire.WriteHeader(destination, MutationsField, ProtoWire.FieldSize(delete));
        at += ProtoWire.WriteHeader(destination[at..], DeleteFromColumnField, delete);
        feature.FamilyQualifier.CopyTo(destination[at..]);
        at += feature.FamilyQualifier.Length;
        destination[at++] = FeaturePlan.TimeRangeTag;
        at += ProtoWire.WriteVarint(destination[at..], (ulong)(1 + ProtoWire.VarintSize(end)));
        destination[at++] = FeaturePlan.RangeEndTag;
        at += ProtoWire.WriteVarint(destination[at..], (ulong)end);
        return at;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Size of a SetCell or DeleteFromColumn wrapped as an entry's mutation.</summary>
    internal static int MutationFieldSize(int payload) => ProtoWire.FieldSize(ProtoWire.FieldSize(payload));
}
