using System.Text;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Keys;

namespace StreamingFeatures.Verification;

/// <summary>
/// Digests the rows of one ReadRows call straight from the response bytes, for a list of requested keys: the chunk
/// rules are the <see cref="ReadRowsMerger"/>'s (split cells, reset rows, commits, ascending keys), but only the cells
/// of features are kept, in one reusable buffer, and each committed row is digested at once. Rows come back in key
/// order, so requested keys are matched by walking them sorted; a key requested twice (two events of one entity)
/// gets a digest at each of its timestamps.
/// </summary>
internal sealed class ReadRowsDigester
{
    // ReadRowsResponse: chunks = 1. CellChunk: row_key = 1, family_name = 2 (StringValue), qualifier = 3 (BytesValue),
    // timestamp_micros = 4, labels = 5, value = 6, value_size = 7, reset_row = 8, commit_row = 9.
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;
    private const byte ColumnSeparator = 0xFF;

    private readonly RowDigester _digester;
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _features;
    private readonly FeatureCells _cells = new();
    private IReadOnlyList<ReadBackJob.PendingRow> _keys = [];
    private int[] _order = [];
    private ulong[] _digests = [];
    private bool[] _found = [];
    private RowOutcome[] _outcomes = [];
    private int _next;

    // The open row: its key, the requested keys equal to it [_runStart, _runEnd), family and column so far.
    private byte[] _key = new byte[64];
    private int _keyLength;
    private bool _inRow;
    private byte[] _lastKey = new byte[64];
    private int _lastKeyLength = -1;
    private int _runStart;
    private int _runEnd;
    private byte[] _column = new byte[64];
    private int _familyLength = -1;
    private int _feature = -1;

    // The open cell.
    private bool _inSplitCell;
    private bool _keepCell;
    private long _cellTimestamp;
    private int _cellStart;

    public ReadRowsDigester(RowDigester digester)
    {
        _digester = digester;
        var features = new Dictionary<byte[], int>(ByteArrayComparer.Instance);
        for (int f = 0; f < digester.Features.Count; f++)
        {
            features[ColumnKey(digester.Features[f].Family, digester.Features[f].Qualifier)] = f;
        }

        _features = features.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>Starts a read of <paramref name="keys"/> (again, after a failed attempt): forgets every earlier digest.</summary>
    public void Start(IReadOnlyList<ReadBackJob.PendingRow> keys)
    {
        _keys = keys;
        if (_order.Length < keys.Count)
        {
            _order = new int[keys.Count];
            _digests = new ulong[keys.Count];
            _found = new bool[keys.Count];
            _outcomes = new RowOutcome[keys.Count];
        }

        for (int i = 0; i < keys.Count; i++)
        {
            _order[i] = i;
        }

        Array.Sort(_order, 0, keys.Count, Comparer<int>.Create((a, b) => keys[a].Key.Span.SequenceCompareTo(keys[b].Key.Span)));
        Array.Clear(_found, 0, keys.Count);
        _next = 0;
        _lastKeyLength = -1;
        ResetRow();
    }

    /// <summary>True when the row of requested key <paramref name="index"/> came back; then its digest.</summary>
    public bool TryGetDigest(int index, out ulong digest)
    {
        digest = _digests[index];
        return _found[index];
    }

    /// <summary>How the row of requested key <paramref name="index"/> compared with what was written.</summary>
    public RowOutcome Outcome(int index) => _found[index] ? _outcomes[index] : RowOutcome.Missing;

    /// <summary>
    /// True when the row of requested key <paramref name="index"/> differs only in features a newer event overwrote
    /// (see <see cref="RowDigester.Compare(ReadOnlySpan{byte}, FeatureCells, long, ulong, ReadOnlySpan{byte}, out ulong)"/>).
    /// </summary>
    public bool IsSuperseded(int index) => Outcome(index) == RowOutcome.Superseded;

    /// <summary>Feeds one ReadRowsResponse, as received.</summary>
    public void Add(ReadOnlySpan<byte> response)
    {
        int at = 0;
        while (at < response.Length)
        {
            at += ReadTag(response[at..], out int field, out int wire);
            if (field == 1 && wire == WireLengthDelimited)
            {
                at += ReadLength(response[at..], out int length);
                AddChunk(response.Slice(at, length));
                at += length;
            }
            else
            {
                at += Skip(response[at..], wire);
            }
        }
    }

    /// <summary>Call when the stream ended cleanly: a row still open means the server broke off mid-row.</summary>
    public void Complete()
    {
        if (_inRow)
        {
            throw Violation("the stream ended inside a row that was never committed");
        }
    }

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

    private static byte[] ColumnKey(string family, byte[] qualifier)
    {
        byte[] familyBytes = Encoding.UTF8.GetBytes(family);
        return [.. familyBytes, ColumnSeparator, .. qualifier];
    }

    private static void Ensure(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length));
        }
    }

    /// <summary>The value of a StringValue or BytesValue wrapper (field 1; absent means empty).</summary>
    private static ReadOnlySpan<byte> WrappedValue(ReadOnlySpan<byte> wrapper)
    {
        ReadOnlySpan<byte> value = default;
        int at = 0;
        while (at < wrapper.Length)
        {
            at += ReadTag(wrapper[at..], out int field, out int wire);
            if (field == 1 && wire == WireLengthDelimited)
            {
                at += ReadBytes(wrapper[at..], out value);
            }
            else
            {
                at += Skip(wrapper[at..], wire);
            }
        }

        return value;
    }

    private static int ReadTag(ReadOnlySpan<byte> source, out int field, out int wire)
    {
        int read = ProtoWire.ReadVarint(source, out ulong tag);
        field = (int)(tag >> 3);
        wire = (int)(tag & 7);
        return read;
    }

    private static int ReadLength(ReadOnlySpan<byte> source, out int length)
    {
        int read = ProtoWire.ReadVarint(source, out ulong value);
        if (value > (ulong)(source.Length - read))
        {
            throw new InvalidDataException("Malformed ReadRowsResponse: a field runs past the end of the message.");
        }

        length = (int)value;
        return read;
    }

    private static int ReadBytes(ReadOnlySpan<byte> source, out ReadOnlySpan<byte> bytes)
    {
        int read = ReadLength(source, out int length);
        bytes = source.Slice(read, length);
        return read + length;
    }

    private static int Skip(ReadOnlySpan<byte> source, int wire) => wire switch
    {
        WireVarint => ProtoWire.ReadVarint(source, out _),
        WireFixed64 when source.Length >= 8 => 8,
        WireLengthDelimited => ReadBytes(source, out _),
        WireFixed32 when source.Length >= 4 => 4,
        _ => throw new InvalidDataException($"Malformed ReadRowsResponse: wire type {wire} cannot be skipped here."),
    };

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
