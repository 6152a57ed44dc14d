using Microsoft.Playwright;

namespace StreamingFeatures.IntegrationTests.Cli.LoadTest;

/// <summary>
/// Debian's Chromium (installed by .ci/prerequisites.sh), driven headless by Playwright's own node driver, which
/// ships in the Microsoft.Playwright package: nothing is downloaded, <c>playwright install</c> is never run. Each
/// launch gets a fresh profile folder, deleted on dispose.
/// </summary>
internal sealed class SystemChromium : IAsyncDisposable
{
    /// <summary>How long the browser may take to start, and any one page action to finish.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Quiet and offline: no GPU, no QUIC, no first-run pages, no background fetches, updates or sync.
    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private SystemChromium(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    public IBrowserContext Context { get; }

    /// <summary>The <c>chromium</c> on PATH; fails the test, naming the script that installs it, when there is none.</summary>
    public static string Find()
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("chromium is not on PATH: the browser test needs Debian's chromium package. Run .ci/prerequisites.sh (as root it installs it with apt-get), or apt-get install chromium.");
        return string.Empty;
    }

    public static async Task<SystemChromium> LaunchAsync()
    {
        string executable = Find();
        IPlaywright playwright = await Playwright.CreateAsync();
        string profile = Directory.CreateTempSubdirectory("report-chromium-").FullName;
        try
        {
            IBrowserContext context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Arguments,
                Timeout = (float)Timeout.TotalMilliseconds,
                ViewportSize = new ViewportSize { Width = 1100, Height = 900 },
                Offline = true,
            });
            context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
            context.SetDefaultNavigationTimeout((float)Timeout.TotalMilliseconds);
            return new SystemChromium(playwright, context, profile);
        }
        catch
        {
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its last files as it exits: the temp folder is cleaned some other day.
        }
    }
}
