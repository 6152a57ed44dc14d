using StreamingFeatures.Bigtable;

namespace StreamingFeatures.Verification;

/// <summary>
/// Digests the rows of one ReadRows call straight from the response bytes, for a list of requested keys: the chunk
/// rules are the <see cref="ReadRowsMerger"/>'s (split cells, reset rows, commits, ascending keys), but only the cells
/// of features are kept, in one reusable buffer, and each committed row is digested at once. Rows come back in key
/// order, so requested keys are matched by walking them sorted; a key requested twice (two events of one entity)
/// gets a digest at each of its timestamps.
/// </summary>
internal sealed partial class ReadRowsDigester
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
}
