using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingFeatures.DeadLetters;

/// <summary>
/// Appends dead letters to a file, one JSON object a line (reason, message, partition, offset, key, field, status),
/// flushed before each write returns so an acknowledged record is never only in memory. The file is created (or
/// opened for appending) by the first dead letter, so a run without any leaves no empty file behind.
/// </summary>
public sealed class JsonLinesDeadLetterSink : IDeadLetterSink, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly SemaphoreSlim _gate = new(1, 1);
    private FileStream? _file;
    private long _count;

    public JsonLinesDeadLetterSink(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public long Count => Interlocked.Read(ref _count);

    public async ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        byte[] line = JsonSerializer.SerializeToUtf8Bytes(deadLetter, Json);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _file ??= new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.Asynchronous);
            await _file.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            _file.WriteByte((byte)'\n');
            await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _count);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }
}
