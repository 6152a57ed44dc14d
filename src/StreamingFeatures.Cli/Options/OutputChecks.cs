using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StreamingFeatures.Cli.Options;

/// <summary>
/// Checks, before any work starts, that an output file can be written and that an endpoint variable names a
/// reachable form of host:port, so a typo costs an error line instead of a stack trace after the work is done.
/// Nothing is left behind: a probe file in the folder is deleted as it closes, and an existing file is opened for
/// writing without being changed.
/// </summary>
internal static class OutputChecks
{
    /// <summary>A one-line problem with the output file <paramref name="path"/> of <paramref name="option"/>, or null when it can be written.</summary>
    /// <param name="option">The flag, for the message.</param>
    /// <param name="path">The file as given.</param>
    /// <param name="createsFolder">The writer creates missing folders itself (then the nearest existing one must be writable).</param>
    public static string? FileProblem(string option, string path, bool createsFolder = false)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"{option} is '{path}': not a file path ({e.Message})";
        }

        if (Directory.Exists(full))
        {
            return $"{option} is '{path}': that is a folder; name a file in it.";
        }

        string folder = Path.GetDirectoryName(full) ?? full;
        if (!Directory.Exists(folder))
        {
            if (!createsFolder)
            {
                return $"{option} is '{path}': the folder {folder} does not exist.";
            }

            while (!Directory.Exists(folder))
            {
                if (File.Exists(folder))
                {
                    return $"{option} is '{path}': {folder} is a file, not a folder.";
                }

                folder = Path.GetDirectoryName(folder) ?? "/";
            }
        }

        try
        {
            if (File.Exists(full))
            {
                using var existing = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                return null;
            }

            string probe = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.probe");
            using var created = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{option} is '{path}': cannot write there ({e.Message})";
        }
    }

    /// <summary>
    /// A one-line problem with <paramref name="variable"/> when it is set but not host:port with a port from 1 to
    /// 65535 and a host that resolves; null when it is unset or fine.
    /// </summary>
    public static string? EndpointVariableProblem(string variable, Func<string, string?>? environment = null)
    {
        string? value = (environment ?? Environment.GetEnvironmentVariable)(variable);
        if (value is null)
        {
            return null;
        }

        string trimmed = value.Trim();
        int colon = trimmed.LastIndexOf(':');
        string host = colon > 0 ? trimmed[..colon] : string.Empty;
        bool bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (host.Length == 0 || (!bracketed && host.Contains(':')) || host.Contains('/')
            || !int.TryParse(trimmed[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            return $"{variable} is '{value}'; allowed: host:port with a port from 1 to 65535, e.g. localhost:8086, 127.0.0.1:8086 or [::1]:8086.";
        }

        string bare = bracketed ? host[1..^1] : host;
        if (IPAddress.TryParse(bare, out _))
        {
            return null;
        }

        try
        {
            return Dns.GetHostAddresses(bare).Length > 0 ? null : $"{variable} is '{value}': the host {bare} has no address.";
        }
        catch (SocketException e)
        {
            return $"{variable} is '{value}': the host {bare} does not resolve ({e.Message}).";
        }
    }
}
