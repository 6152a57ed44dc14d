using System.Globalization;

namespace StreamingFeatures.Emulators;

/// <summary>
/// Memory a new process can still use: Linux's MemAvailable, or what is left under the cgroup's limit when that is
/// lower (a container). Page cache the kernel can drop (inactive files) counts as available, as in MemAvailable.
/// </summary>
public static class AvailableMemory
{
    // cgroup v1 writes "no limit" as a huge page-aligned number.
    private const long NoLimit = 1L << 62;

    /// <summary>Available bytes on this machine; null where /proc/meminfo cannot be read (not Linux).</summary>
    public static long? Read() => Read(path =>
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    });

    /// <param name="readFile">Returns a file's text, or null when it is missing or unreadable.</param>
    public static long? Read(Func<string, string?> readFile)
    {
        ArgumentNullException.ThrowIfNull(readFile);
        if (Field(readFile("/proc/meminfo"), "MemAvailable:") is not { } availableKiB)
        {
            return null;
        }

        long available = availableKiB * 1024;
        long? left = CgroupLeft(readFile("/sys/fs/cgroup/memory.max"), readFile("/sys/fs/cgroup/memory.current"), readFile("/sys/fs/cgroup/memory.stat"), "inactive_file")
            ?? CgroupLeft(readFile("/sys/fs/cgroup/memory/memory.limit_in_bytes"), readFile("/sys/fs/cgroup/memory/memory.usage_in_bytes"), readFile("/sys/fs/cgroup/memory/memory.stat"), "total_inactive_file");
        return left is { } cgroup ? Math.Min(available, cgroup) : available;
    }

    private static long? CgroupLeft(string? limitText, string? usageText, string? stat, string inactiveKey)
    {
        if (!TryParse(limitText, out long limit) || limit >= NoLimit || !TryParse(usageText, out long usage))
        {
            return null;
        }

        long inactive = Field(stat, inactiveKey + " ") ?? 0;
        return Math.Max(0, limit - Math.Max(0, usage - inactive));
    }

    /// <summary>The number after <paramref name="key"/> at the start of a line ("MemAvailable:   123 kB").</summary>
    private static long? Field(string? text, string key)
    {
        foreach (string line in (text ?? string.Empty).Split('\n'))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                string[] parts = line[key.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && TryParse(parts[0], out long value) ? value : null;
            }
        }

        return null;
    }

    private static bool TryParse(string? text, out long value) =>
        long.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
