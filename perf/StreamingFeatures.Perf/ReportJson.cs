using System.Text.Json;

namespace StreamingFeatures.Perf;

/// <summary>How every perf command hands over its figures: indented camelCase JSON on standard output, and in --output.</summary>
internal static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>Prints <paramref name="report"/> and, when <paramref name="path"/> is given, writes it there too (folders created).</summary>
    public static async Task WriteAsync<T>(T report, string? path)
    {
        string json = JsonSerializer.Serialize(report, Options);
        await Console.Out.WriteLineAsync(json).ConfigureAwait(false);
        if (path is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, json + Environment.NewLine).ConfigureAwait(false);
        }
    }
}
