using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Sources;

namespace StreamingFeatures.Tests.Sources.Files;

/// <summary>A uniquely named folder under the temp directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sf-files-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string relative)
    {
        string full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <summary>Runs <paramref name="source"/> into an unbounded buffer and returns every chunk sent.</summary>
    public static async Task<IList<SourceChunk>> RunAsync(IRowSource source)
    {
        var buffer = new BufferBlock<SourceChunk>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await source.RunAsync(buffer, timeout.Token);
        buffer.Complete();
        return buffer.TryReceiveAll(out IList<SourceChunk>? chunks) ? chunks : [];
    }
}
