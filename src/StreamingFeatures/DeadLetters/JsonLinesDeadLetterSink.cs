using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingFeatures.DeadLetters;

/// <summary>
/// Appends dead letters to a file, one JSON object a line (reason, message, partition, offset, key, field, status),
/// flushed before each write returns so an acknowledged record is never only in memory.
/// </summary>
public sealed class JsonLinesDeadLetterSink : IDeadLetterSink, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly FileStream _file;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _count;

    public JsonLinesDeadLetterSink(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        _file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.Asynchronous);
    }

    public string Path { get; }

    public long Count => Interlocked.Read(ref _count);

    public async ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        byte[] line = JsonSerializer.SerializeToUtf8Bytes(deadLetter, Json);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
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
        await _file.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
