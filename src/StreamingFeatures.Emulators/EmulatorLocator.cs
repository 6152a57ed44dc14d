using System.ComponentModel;
using System.Diagnostics;

namespace StreamingFeatures.Emulators;

/// <summary>Finds an emulator's executable: an explicit path, else the gcloud SDK's platform folder.</summary>
internal sealed class EmulatorLocator
{
    private static readonly TimeSpan GcloudTimeout = TimeSpan.FromSeconds(60);

    private readonly Func<string?> _sdkRoot;
    private readonly Func<string, bool> _fileExists;
    private readonly Func<string, string?> _findOnPath;

    public EmulatorLocator(Func<string?> sdkRoot, Func<string, bool> fileExists, Func<string, string?> findOnPath)
    {
        _sdkRoot = sdkRoot;
        _fileExists = fileExists;
        _findOnPath = findOnPath;
    }

    /// <summary>The locator of this machine: asks <c>gcloud</c> and the file system.</summary>
    public static EmulatorLocator System { get; } = new(AskGcloudForSdkRoot, File.Exists, FindOnPath);

    public string Locate(EmulatorSpec spec, string? explicitPath)
    {
        if (explicitPath is not null)
        {
            return _fileExists(explicitPath)
                ? explicitPath
                : throw new EmulatorNotInstalledException(
                    $"The {spec.DisplayName} was not found at the configured path '{explicitPath}'. {spec.InstallHint}.");
        }

        string? root = _sdkRoot();
        if (root is null)
        {
            throw new EmulatorNotInstalledException(
                $"The {spec.DisplayName} was not found: `gcloud` is not on PATH, so the Google Cloud SDK could not be located. "
                + $"Install the Google Cloud CLI (Debian/Ubuntu: `apt-get install google-cloud-cli`). {spec.InstallHint}. "
                + $"Or set {spec.HostVariable} to an emulator that is already running.");
        }

        string path = Path.Combine(root, spec.SdkRelativePath);
        if (!_fileExists(path))
        {
            throw new EmulatorNotInstalledException(
                $"The {spec.DisplayName} is not installed in the Google Cloud SDK at '{root}' (looked for '{path}'). {spec.InstallHint}.");
        }

        if (spec.NeedsJava && !HasJava())
        {
            throw new EmulatorNotInstalledException(
                $"The {spec.DisplayName} needs a Java runtime 11 or newer, and none was found (no `java` on PATH or in JAVA_HOME). "
                + "Install one, for example `apt-get install default-jre-headless`.");
        }

        return path;
    }

    private bool HasJava()
    {
        string? javaHome = Environment.GetEnvironmentVariable("JAVA_HOME");
        return (javaHome is { Length: > 0 } && _fileExists(Path.Combine(javaHome, "bin", "java")))
            || _findOnPath("java") is not null;
    }

    private static string? AskGcloudForSdkRoot()
    {
        if (FindOnPath("gcloud") is null)
        {
            return null;
        }

        try
        {
            var start = new ProcessStartInfo("gcloud", ["info", "--format=value(installation.sdk_root)"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using Process process = Process.Start(start)!;
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(GcloudTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new EmulatorNotInstalledException($"`gcloud info` did not answer within {GcloudTimeout.TotalSeconds:0} s.");
            }

            string root = output.Trim();
            return process.ExitCode == 0 && root.Length > 0
                ? root
                : throw new EmulatorNotInstalledException(
                    $"`gcloud info --format='value(installation.sdk_root)'` failed with exit code {process.ExitCode}: {stderr.Result.Trim()}");
        }
        catch (Win32Exception)
        {
            return null;
        }
    }

    private static string? FindOnPath(string program)
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        string[] names = OperatingSystem.IsWindows() ? [program + ".exe", program + ".cmd"] : [program];
        return directories
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }
}
