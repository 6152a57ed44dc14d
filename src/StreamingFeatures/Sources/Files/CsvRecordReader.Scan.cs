namespace StreamingFeatures.Sources.Files;

/// <summary>Where a field lies in the record buffer; <see cref="Escaped"/> when it holds doubled quotes.</summary>
internal readonly record struct CsvField(int Start, int End, bool Escaped);

internal sealed partial class CsvRecordReader
{
    private ScanState _state;
    private int _scanned;
    private int _fieldStart;
    private bool _escaped;
    private bool _malformed;

    private enum ScanState : byte
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteSeen,
    }

    private void ResetScan()
    {
        _state = ScanState.FieldStart;
        _scanned = 0;
        _fieldStart = 0;
        _escaped = false;
        _malformed = false;
    }

    /// <summary>
    /// Splits the bytes appended since the last call into fields. The state carries over, so a quoted field that
    /// spans lines is scanned once, line by line.
    /// </summary>
    private void Scan()
    {
        ReadOnlySpan<byte> data = _record.AsSpan(0, _held);
        int i = _scanned;
        while (i < data.Length)
        {
            switch (_state)
            {
                case ScanState.FieldStart:
                    if (data[i] == Quote)
                    {
                        _state = ScanState.Quoted;
                        _fieldStart = i + 1;
                        _escaped = false;
                        i++;
                    }
                    else
                    {
                        _state = ScanState.Unquoted;
                        _fieldStart = i;
                    }

                    break;
                case ScanState.Unquoted:
                    int separator = data[i..].IndexOf(_separator);
                    if (separator < 0)
                    {
                        i = data.Length;
                    }
                    else
                    {
                        i += separator;
                        AddField(_fieldStart, i, escaped: false);
                        _state = ScanState.FieldStart;
                        i++;
                    }

                    break;
                case ScanState.Quoted:
                    int quote = data[i..].IndexOf(Quote);
                    if (quote < 0)
                    {
                        i = data.Length;
                    }
                    else
                    {
                        i += quote + 1;
                        _state = ScanState.QuoteSeen;
                    }

                    break;
                default:
                    if (data[i] == Quote)
                    {
                        _escaped = true;
                        _state = ScanState.Quoted;
                        i++;
                    }
                    else if (data[i] == _separator)
                    {
                        AddField(_fieldStart, i - 1, _escaped);
                        _state = ScanState.FieldStart;
                        i++;
                    }
                    else
                    {
                        // "ab"c: not RFC 4180, and no reading of it is safe. The rest of the field is skipped.
                        _malformed = true;
                        _state = ScanState.Unquoted;
                        _fieldStart = i;
                    }

                    break;
            }
        }

        _scanned = data.Length;
    }

    /// <summary>The record ended outside quotes: its last field ends with it.</summary>
    private void EndFields()
    {
        switch (_state)
        {
            case ScanState.QuoteSeen:
                AddField(_fieldStart, _held - 1, _escaped);
                break;
            case ScanState.Unquoted:
                AddField(_fieldStart, _held, escaped: false);
                break;
            default:
                AddField(_held, _held, escaped: false);
                break;
        }
    }

    private void AddField(int start, int end, bool escaped)
    {
        if (FieldCount < MaxFields)
        {
            if (_fieldsKept == _fields.Length)
            {
                Array.Resize(ref _fields, Math.Min(_fields.Length * 2, MaxFields));
                Peak();
            }

            _fields[_fieldsKept++] = new CsvField(start, end, escaped);
        }

        FieldCount++;
    }
}
