using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// Terraform files as JSON, through the pinned <c>@cdktf/hcl2json</c> (HashiCorp's HCL parser as WebAssembly) that
/// infra/terraform/hcl2json/Hcl2Json.targets fetches and integrity-checks at build time, run by Node.js with
/// infra/terraform/hcl2json/hcl2json.js. Anything missing or unparsable throws: a policy test never passes on files it did not read.
/// </summary>
internal static class TerraformConverter
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>Each file's path to its document (blocks as arrays, expressions as <c>${...}</c> strings).</summary>
    public static Dictionary<string, JsonElement> Convert(IReadOnlyCollection<string> files)
    {
        ArgumentOutOfRangeException.ThrowIfZero(files.Count);
        string package = Metadata("Hcl2JsonPackage");
        string driver = Metadata("Hcl2JsonDriver");
        if (!File.Exists(Path.Combine(package, "main.wasm.gz")) || !File.Exists(driver))
        {
            throw new InvalidOperationException(
                $"The HCL-to-JSON converter is missing ({package}/main.wasm.gz, {driver}): build the integration test project, which fetches npm package @cdktf/hcl2json (infra/terraform/hcl2json/Hcl2Json.targets).");
        }

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])[driver, package, .. files])
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hcl2json did not finish within {s_timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"hcl2json failed (exit code {process.ExitCode}): {error.Result.Trim()}");
        }

        using JsonDocument documents = JsonDocument.Parse(output);
        return documents.RootElement.EnumerateObject().ToDictionary(file => file.Name, file => file.Value.Clone(), StringComparer.Ordinal);
    }

    private static string Metadata(string key) =>
        typeof(TerraformConverter).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing: the test project must import infra/terraform/hcl2json/Hcl2Json.targets.");
}
