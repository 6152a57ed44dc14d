using StreamingFeatures.Bigtable;
using StreamingFeatures.Keys;

namespace StreamingFeatures.Verification;

// The chunk rules: cells opened, split across chunks, reset and committed; only feature cells are kept.
internal sealed partial class ReadRowsDigester
{
    private void AddChunk(ReadOnlySpan<byte> chunk)
    {
        ReadOnlySpan<byte> rowKey = default;
        ReadOnlySpan<byte> family = default;
        ReadOnlySpan<byte> qualifier = default;
        ReadOnlySpan<byte> value = default;
        bool hasFamily = false, hasQualifier = false, hasLabels = false, reset = false, commit = false;
        long timestamp = 0;
        long valueSize = 0;
        int at = 0;
        while (at < chunk.Length)
        {
            at += ReadTag(chunk[at..], out int field, out int wire);
            switch (field)
            {
                case 1 when wire == WireLengthDelimited:
                    at += ReadBytes(chunk[at..], out rowKey);
                    break;
                case 2 when wire == WireLengthDelimited:
                    at += ReadBytes(chunk[at..], out ReadOnlySpan<byte> familyValue);
                    family = WrappedValue(familyValue);
                    hasFamily = true;
                    break;
                case 3 when wire == WireLengthDelimited:
                    at += ReadBytes(chunk[at..], out ReadOnlySpan<byte> qualifierValue);
                    qualifier = WrappedValue(qualifierValue);
                    hasQualifier = true;
                    break;
                case 4 when wire == WireVarint:
                    at += ProtoWire.ReadVarint(chunk[at..], out ulong micros);
                    timestamp = (long)micros;
                    break;
                case 5 when wire == WireLengthDelimited:
                    at += ReadBytes(chunk[at..], out _);
                    hasLabels = true;
                    break;
                case 6 when wire == WireLengthDelimited:
                    at += ReadBytes(chunk[at..], out value);
                    break;
                case 7 when wire == WireVarint:
                    at += ProtoWire.ReadVarint(chunk[at..], out ulong size);
                    valueSize = (long)size;
                    break;
                case 8 when wire == WireVarint:
                    at += ProtoWire.ReadVarint(chunk[at..], out ulong resetRow);
                    reset = resetRow != 0;
                    break;
                case 9 when wire == WireVarint:
                    at += ProtoWire.ReadVarint(chunk[at..], out ulong commitRow);
                    commit = commitRow != 0;
                    break;
                default:
                    at += Skip(chunk[at..], wire);
                    break;
            }
        }

        if (reset)
        {
            if (!_inRow || !rowKey.IsEmpty || hasFamily || hasQualifier || timestamp != 0 || hasLabels || !value.IsEmpty || commit)
            {
                throw Violation("reset_row must come alone, inside a row");
            }

            ResetRow();
            return;
        }

        if (_inSplitCell)
        {
            if (!rowKey.IsEmpty || hasFamily || hasQualifier || timestamp != 0 || hasLabels)
            {
                throw Violation("a chunk continuing a split cell may carry only its value");
            }
        }
        else
        {
            StartCell(rowKey, hasFamily, family, hasQualifier, qualifier, timestamp);
        }

        if (_keepCell)
        {
            _cells.AppendValue(value);
        }

        _inSplitCell = valueSize > 0;
        if (!_inSplitCell && _keepCell)
        {
            _cells.Add(_feature, _cellTimestamp, _cellStart);
        }

        if (commit)
        {
            if (_inSplitCell)
            {
                throw Violation("commit_row inside a split cell");
            }

            CommitRow();
        }
    }

    private void StartCell(ReadOnlySpan<byte> rowKey, bool hasFamily, ReadOnlySpan<byte> family, bool hasQualifier, ReadOnlySpan<byte> qualifier, long timestamp)
    {
        if (!_inRow)
        {
            if (rowKey.IsEmpty)
            {
                throw Violation("a new row must start with a row key");
            }

            if (_lastKeyLength >= 0 && rowKey.SequenceCompareTo(_lastKey.AsSpan(0, _lastKeyLength)) <= 0)
            {
                throw Violation($"row key {RowKeyFormat.Display(rowKey)} is not after the previous row {RowKeyFormat.Display(_lastKey.AsSpan(0, _lastKeyLength))}");
            }

            if (!hasFamily || !hasQualifier)
            {
                throw Violation("a new row must name a family and a qualifier");
            }

            OpenRow(rowKey);
        }
        else if (!rowKey.IsEmpty && !rowKey.SequenceEqual(_key.AsSpan(0, _keyLength)))
        {
            throw Violation($"row key changed to {RowKeyFormat.Display(rowKey)} without commit_row");
        }

        if (hasFamily)
        {
            if (!hasQualifier)
            {
                throw Violation("a new family must come with a qualifier");
            }

            Ensure(ref _column, family.Length + 1 + qualifier.Length);
            family.CopyTo(_column);
            _column[family.Length] = ColumnSeparator;
            _familyLength = family.Length;
        }

        if (hasQualifier)
        {
            if (_familyLength < 0)
            {
                throw Violation("a qualifier came before any family");
            }

            Ensure(ref _column, _familyLength + 1 + qualifier.Length);
            qualifier.CopyTo(_column.AsSpan(_familyLength + 1));
            int columnLength = _familyLength + 1 + qualifier.Length;
            _feature = _features.TryGetValue(_column.AsSpan(0, columnLength), out int feature) ? feature : -1;
        }

        _cellTimestamp = timestamp;
        _keepCell = _feature >= 0 && _runEnd > _runStart;
        _cellStart = _cells.ValueBytes;
    }

    /// <summary>Opens the row of <paramref name="rowKey"/> and finds the requested keys equal to it.</summary>
    private void OpenRow(ReadOnlySpan<byte> rowKey)
    {
        _inRow = true;
        Ensure(ref _key, rowKey.Length);
        rowKey.CopyTo(_key);
        _keyLength = rowKey.Length;
        while (_next < _keys.Count && _keys[_order[_next]].Key.Span.SequenceCompareTo(rowKey) < 0)
        {
            _next++;
        }

        _runStart = _next;
        _runEnd = _next;
        while (_runEnd < _keys.Count && _keys[_order[_runEnd]].Key.Span.SequenceEqual(rowKey))
        {
            _runEnd++;
        }
    }

    private void CommitRow()
    {
        ReadOnlySpan<byte> key = _key.AsSpan(0, _keyLength);
        for (int i = _runStart; i < _runEnd; i++)
        {
            int index = _order[i];
            ReadBackJob.PendingRow pending = _keys[index];
            _outcomes[index] = _digester.Compare(key, _cells, pending.TimestampMicros, pending.Digest, pending.Mutations.Span, out _digests[index]);
            _found[index] = true;
        }

        _next = _runEnd;
        Ensure(ref _lastKey, _keyLength);
        key.CopyTo(_lastKey);
        _lastKeyLength = _keyLength;
        ResetRow();
    }

    private void ResetRow()
    {
        _inRow = false;
        _inSplitCell = false;
        _keepCell = false;
        _familyLength = -1;
        _feature = -1;
        _runStart = _runEnd = _next;
        _cells.Clear();
    }

    private InvalidDataException Violation(string rule) =>
        new($"ReadRows protocol violation in row {(_inRow ? RowKeyFormat.Display(_key.AsSpan(0, _keyLength)) : "(none open)")}: {rule}.");
}
