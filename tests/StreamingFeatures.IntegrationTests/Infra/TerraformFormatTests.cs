using System.Diagnostics;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// <c>terraform fmt -check -recursive</c> over infra/terraform, where terraform is installed (it needs no provider,
/// unlike <c>terraform validate</c>, which cannot download one here); the HCL converter's failures are loud.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class TerraformFormatTests
{
    [TestMethod]
    public void Fmt_EveryFile_Canonical()
    {
        string? terraform = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "terraform")).FirstOrDefault(File.Exists);
        if (terraform is null)
        {
            Assert.Inconclusive("terraform is not on PATH: `terraform fmt -check` not run (the policy tests still parse every file).");
        }

        var start = new ProcessStartInfo(terraform) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["fmt", "-check", "-recursive", "-diff", TerraformConfiguration.Folder()])
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.AreEqual(0, process.ExitCode, $"terraform fmt -check -recursive found files to format (run `terraform fmt -recursive infra/terraform`):{Environment.NewLine}{output}{error.Result}");
    }

    [TestMethod]
    public void Convert_SyntaxError_FailsNamingTheFile()
    {
        string file = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.tf");
        File.WriteAllText(file, "resource \"google_pubsub_topic\" \"t\" {\n  name = \n");
        try
        {
            var error = Assert.ThrowsExactly<InvalidOperationException>(() => TerraformConverter.Convert([file]));

            StringAssert.Contains(error.Message, file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
