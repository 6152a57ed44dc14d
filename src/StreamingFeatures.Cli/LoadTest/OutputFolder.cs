using System.Globalization;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>
/// The report folder, checked before the run: its reports are written only at the end, and a folder that cannot take
/// them would lose the whole run's figures. The folder itself may be missing (it is created), its parent may not.
/// </summary>
internal static class OutputFolder
{
    /// <summary>The default: <c>loadtest-results/PROFILE-UTCTIME</c> in the working folder.</summary>
    public const string DefaultParent = "loadtest-results";

    /// <summary>A one-line problem with <paramref name="output"/> (or, when null, the default's place), or null.</summary>
    public static string? Problem(DirectoryInfo? output)
    {
        if (output is null)
        {
            // The default folder and loadtest-results may both be created: the working folder must take them.
            string parent = Directory.Exists(DefaultParent) ? Path.GetFullPath(DefaultParent) : Directory.GetCurrentDirectory();
            return Writable(parent) is { } reason
                ? $"--output is not given, and the default {Path.Combine(DefaultParent, "PROFILE-TIME")} cannot be created in {parent}: {reason}. Name a writable --output folder."
                : null;
        }

        string path = output.FullName;
        if (File.Exists(path))
        {
            return $"--output is '{path}': that is a file; name a folder for result.json, report.html and the charts.";
        }

        string folder = Directory.Exists(path) ? path : Path.GetDirectoryName(path) ?? path;
        if (!Directory.Exists(folder))
        {
            return $"--output is '{path}': the folder {folder} does not exist; create it, or name a folder in an existing one.";
        }

        return Writable(folder) is { } problem ? $"--output is '{path}': cannot write in {folder} ({problem})." : null;
    }

    /// <summary>Why nothing can be created in <paramref name="folder"/>, or null: a probe file is created and deleted at once.</summary>
    private static string? Writable(string folder)
    {
        string probe = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $".loadtest-probe-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        try
        {
            using var created = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}
