using System.Buffers;

namespace StreamingFeatures.Sources.Files;

/// <summary>What a record read by <see cref="CsvRecordReader"/> turned out to be.</summary>
internal enum CsvRecordStatus
{
    /// <summary>Well formed; its fields are available.</summary>
    Ok,

    /// <summary>A quoted field did not close on its line (or, with quoted newlines allowed, before the end of the file).</summary>
    UnclosedQuote,

    /// <summary>A closing quote is followed by something other than the separator or the end of the line.</summary>
    TextAfterQuote,

    /// <summary>The record is longer than the bound; only a prefix was kept.</summary>
    TooLarge,
}

/// <summary>
/// Reads a CSV stream record by record from its physical lines, so every line can be accounted for: a record is one
/// line, or with <c>allowQuotedNewlines</c> the lines a quoted field spans (RFC 4180 quoting: a field that starts with
/// a quote runs to the next quote not doubled; a quote inside an unquoted field is text). Lines end with <c>\n</c> or
/// <c>\r\n</c>; an empty line is no record (counted in <see cref="BlankLines"/>). Memory is bounded whatever the
/// data: a record longer than <c>maxRecordBytes</c> is read on to the end of its line without being held (only a
/// prefix is kept), and at most <c>maxFields</c> field positions are kept however many separators a line has.
/// </summary>
internal sealed partial class CsvRecordReader : IAsyncDisposable
{
    public const int ReadBufferBytes = 1 << 16;
    private const int InitialRecordBytes = 1 << 12;
    private const byte Quote = (byte)'"';
    private const byte Newline = (byte)'\n';
    private const byte Return = (byte)'\r';

    private readonly Stream _stream;
    private readonly byte _separator;
    private readonly bool _allowQuotedNewlines;
    private readonly int _maxRecordBytes;

    private byte[] _read;
    private int _readPosition;
    private int _readEnd;
    private long _readBase;
    private bool _atStart = true;
    private bool _endOfStream;

    private byte[] _record;
    private int _held;
    private long _recordBytes;
    private int _terminator;
    private long _nextLine = 1;
    private long _resumePosition;

    private CsvField[] _fields = new CsvField[16];
    private int _fieldsKept;
    private byte[]? _unescaped;

    public CsvRecordReader(Stream stream, char separator, bool allowQuotedNewlines, int maxRecordBytes, int maxFields = 100_000)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordBytes, 1);
        _stream = stream;
        _separator = (byte)separator;
        _allowQuotedNewlines = allowQuotedNewlines;
        _maxRecordBytes = maxRecordBytes;
        MaxFields = maxFields;
        _read = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
        _record = ArrayPool<byte>.Shared.Rent(Math.Min(InitialRecordBytes, maxRecordBytes));
        PeakBufferBytes = _read.Length + _record.Length;
    }

    /// <summary>Field positions kept per record; the fields past it are only counted (the header's count + 1 is enough to tell a row with extra fields).</summary>
    public int MaxFields { get; set; }

    public CsvRecordStatus Status { get; private set; }

    /// <summary>The record's first physical line (1-based, the header is line 1).</summary>
    public long FirstLine { get; private set; }

    /// <summary>The record's last physical line: greater than <see cref="FirstLine"/> when a quoted field spans lines.</summary>
    public long LastLine { get; private set; }

    /// <summary>The record's length in bytes, line breaks inside quotes included, its final line break not.</summary>
    public long RecordBytes => _recordBytes;

    /// <summary>Fields in the record (all of them, also past <see cref="MaxFields"/>); 0 unless <see cref="Status"/> is Ok.</summary>
    public int FieldCount { get; private set; }

    /// <summary>Empty lines met so far (no record, nothing to write).</summary>
    public long BlankLines { get; private set; }

    /// <summary>The most bytes of buffers this reader held at once: the proof that memory does not follow the data.</summary>
    public long PeakBufferBytes { get; private set; }

    /// <summary>The start of the record as read (raw, quotes included), at most <paramref name="maxBytes"/> bytes.</summary>
    public ReadOnlySpan<byte> Prefix(int maxBytes) => _record.AsSpan(0, Math.Min(_held, maxBytes));

    /// <summary>
    /// Field <paramref name="index"/> (below <see cref="MaxFields"/>), unquoted. Valid until the next call: a field
    /// with doubled quotes is unescaped into a scratch buffer.
    /// </summary>
    public ReadOnlySpan<byte> Field(int index)
    {
        CsvField field = _fields[index];
        ReadOnlySpan<byte> raw = _record.AsSpan(field.Start, field.End - field.Start);
        if (!field.Escaped)
        {
            return raw;
        }

        if (_unescaped is null || _unescaped.Length < raw.Length)
        {
            if (_unescaped is not null)
            {
                ArrayPool<byte>.Shared.Return(_unescaped);
            }

            _unescaped = ArrayPool<byte>.Shared.Rent(raw.Length);
            Peak();
        }

        int length = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            _unescaped[length++] = raw[i];
            if (raw[i] == Quote)
            {
                i++;
            }
        }

        return _unescaped.AsSpan(0, length);
    }

    /// <summary>
    /// Reads the next record, whatever its <see cref="Status"/>; false at the end of the stream. Empty lines are
    /// skipped.
    /// </summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            _held = 0;
            _recordBytes = 0;
            _fieldsKept = 0;
            FieldCount = 0;
            ResetScan();
            FirstLine = _nextLine;
            if (!await ReadLineAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            LastLine = FirstLine;
            _resumePosition = _readBase + _readPosition;
            if (_recordBytes == 0)
            {
                BlankLines++;
                continue;
            }

            while (true)
            {
                if (_recordBytes > _maxRecordBytes)
                {
                    Status = CsvRecordStatus.TooLarge;
                    return true;
                }

                Scan();
                if (_state != ScanState.Quoted)
                {
                    EndFields();
                    Status = _malformed ? CsvRecordStatus.TextAfterQuote : CsvRecordStatus.Ok;
                    if (_malformed)
                    {
                        FieldCount = 0;
                    }

                    return true;
                }

                if (!_allowQuotedNewlines || _terminator == 0)
                {
                    Status = CsvRecordStatus.UnclosedQuote;
                    return true;
                }

                // The quoted field goes on: its line break is part of the value.
                if (_terminator == 2)
                {
                    Append(Return);
                }

                Append(Newline);
                if (!await ReadLineAsync(cancellationToken).ConfigureAwait(false))
                {
                    Status = CsvRecordStatus.UnclosedQuote;
                    return true;
                }

                LastLine++;
            }
        }
    }

    /// <summary>
    /// After a record that spanned lines and failed, reading goes on at the line after its first line, so a stray
    /// quote costs its own line and no other. Needs a seekable stream when the record spanned more than one line.
    /// </summary>
    public void ResumeAfterFirstLine()
    {
        if (LastLine == FirstLine)
        {
            return;
        }

        _stream.Seek(_resumePosition, SeekOrigin.Begin);
        _readBase = _resumePosition;
        _readPosition = 0;
        _readEnd = 0;
        _endOfStream = false;
        _nextLine = FirstLine + 1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        ArrayPool<byte>.Shared.Return(_read);
        ArrayPool<byte>.Shared.Return(_record);
        if (_unescaped is not null)
        {
            ArrayPool<byte>.Shared.Return(_unescaped);
        }

        _read = [];
        _record = [];
        _unescaped = null;
    }

    /// <summary>
    /// Appends the next physical line to the record (beyond the bound, only counts its bytes) and consumes its line
    /// break; false when the stream has no more line.
    /// </summary>
    private async ValueTask<bool> ReadLineAsync(CancellationToken cancellationToken)
    {
        bool any = false;
        bool lastWasReturn = false;
        while (true)
        {
            if (_readPosition == _readEnd)
            {
                if (_endOfStream || !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!any)
                    {
                        return false;
                    }

                    _terminator = 0;
                    _nextLine++;
                    return true;
                }
            }

            any = true;
            ReadOnlySpan<byte> available = _read.AsSpan(_readPosition, _readEnd - _readPosition);
            int newline = available.IndexOf(Newline);
            ReadOnlySpan<byte> content = newline < 0 ? available : available[..newline];
            if (content.Length > 0)
            {
                Append(content);
                lastWasReturn = content[^1] == Return;
            }

            if (newline < 0)
            {
                _readPosition = _readEnd;
                continue;
            }

            _readPosition += newline + 1;
            _terminator = 1;
            if (lastWasReturn)
            {
                // \r\n: the \r belongs to the line break, not to the last field.
                _terminator = 2;
                _recordBytes--;
                if (_held > _recordBytes)
                {
                    _held--;
                }
            }

            _nextLine++;
            return true;
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _readBase += _readEnd;
        _readPosition = 0;
        _readEnd = await _stream.ReadAsync(_read, cancellationToken).ConfigureAwait(false);
        if (_readEnd == 0)
        {
            _endOfStream = true;
            return false;
        }

        if (_atStart)
        {
            _atStart = false;

            // A short read may end inside the byte order mark: gather its three bytes before looking for it.
            while (_readEnd < 3)
            {
                int more = await _stream.ReadAsync(_read.AsMemory(_readEnd), cancellationToken).ConfigureAwait(false);
                if (more == 0)
                {
                    break;
                }

                _readEnd += more;
            }

            if (_read.AsSpan(0, _readEnd).StartsWith("\uFEFF"u8))
            {
                _readPosition = 3;
            }
        }

        return _readPosition < _readEnd || await FillAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Append(byte value) => Append([value]);

    /// <summary>Keeps the bytes while the record is within the bound; past it only counts them.</summary>
    private void Append(ReadOnlySpan<byte> bytes)
    {
        long room = _maxRecordBytes - (long)_held;
        int keep = (int)Math.Min(bytes.Length, Math.Max(room, 0));
        if (keep > 0)
        {
            if (_held + keep > _record.Length)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(_record.Length * 2L, _held + keep), _maxRecordBytes));
                _record.AsSpan(0, _held).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_record);
                _record = larger;
                Peak();
            }

            bytes[..keep].CopyTo(_record.AsSpan(_held));
            _held += keep;
        }

        _recordBytes += bytes.Length;
    }

    private void Peak() => PeakBufferBytes = Math.Max(PeakBufferBytes, _read.Length + _record.Length + (_unescaped?.Length ?? 0) + (_fields.Length * 9L));
}
