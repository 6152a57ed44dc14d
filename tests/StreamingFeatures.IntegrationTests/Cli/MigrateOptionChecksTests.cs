using System.CommandLine;
using StreamingFeatures.Cli;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Cli.Options;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>The checks behind migrate's one-line errors, without a process: option parsers, names, paths, variables.</summary>
[TestClass]
public sealed class MigrateOptionChecksTests
{
    [TestMethod]
    [DataRow("1e6")]
    [DataRow("1,000")]
    [DataRow("99999999999999999999")]
    [DataRow("")]
    public void WholeNumber_NotAWholeNumber_ErrorNamesOptionValueAndForm(string text)
    {
        Option<long> option = new Option<long>("--rows").WholeNumber();

        ParseResult parse = new RootCommand { option }.Parse(["--rows", text]);

        Assert.HasCount(1, parse.Errors);
        Assert.AreEqual($"--rows is '{text}'; allowed: a whole number, without separators or exponent (e.g. 1000000).", parse.Errors[0].Message);
    }

    [TestMethod]
    public void WholeNumber_OutsideRange_ErrorNamesRange()
    {
        Option<int> option = new Option<int>("--port").WholeNumber(1, 65535);

        ParseResult parse = new RootCommand { option }.Parse(["--port", "70000"]);

        StringAssert.Contains(parse.Errors.Single().Message, "--port is '70000'; allowed: a whole number from 1 to 65535");
    }

    [TestMethod]
    public void WholeNumber_TooLargeForTheOption_ErrorNamesTheLimits()
    {
        Option<int> option = new Option<int>("--streams").WholeNumber();

        ParseResult parse = new RootCommand { option }.Parse(["--streams", "3000000000"]);

        StringAssert.Contains(parse.Errors.Single().Message, "--streams is '3000000000'; allowed: a whole number from -2147483648 to 2147483647");
    }

    [TestMethod]
    public void WholeNumber_NotGiven_Default()
    {
        Option<long> option = new Option<long>("--rows") { DefaultValueFactory = _ => 42 }.WholeNumber();

        ParseResult parse = new RootCommand { option }.Parse([]);

        Assert.IsEmpty(parse.Errors);
        Assert.AreEqual(42, parse.GetValue(option));
    }

    [TestMethod]
    [DataRow("NaN")]
    [DataRow("Infinity")]
    [DataRow("1e300")]
    [DataRow("0.01")]
    [DataRow("5s")]
    public void Seconds_NotFiniteOrOutOfRange_ErrorNamesRange(string text)
    {
        Option<double> option = new Option<double>("--interval").Seconds(0.1, 3600);

        ParseResult parse = new RootCommand { option }.Parse(["--interval", text]);

        Assert.AreEqual($"--interval is '{text}'; allowed: a number of seconds from 0.1 to 3600, e.g. 5 or 0.5.", parse.Errors.Single().Message);
    }

    [TestMethod]
    [DataRow("2026-11-26T00:00:00Z")]
    [DataRow("2026-11-26T09:30:00.123+01:00")]
    [DataRow("2026-11-26 00:00:00z")]
    public void Rfc3339Time_Valid_Parsed(string text)
    {
        Option<DateTimeOffset?> option = new Option<DateTimeOffset?>("--at").Rfc3339Time();

        ParseResult parse = new RootCommand { option }.Parse(["--at", text]);

        Assert.IsEmpty(parse.Errors);
        Assert.AreEqual(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture), parse.GetValue(option));
    }

    [TestMethod]
    [DataRow("yesterday")]
    [DataRow("2026-11-26")]
    [DataRow("2026-11-26T00:00:00")]
    [DataRow("2026-13-26T00:00:00Z")]
    public void Rfc3339Time_NotRfc3339_ErrorSaysSo(string text)
    {
        Option<DateTimeOffset?> option = new Option<DateTimeOffset?>("--at").Rfc3339Time();

        ParseResult parse = new RootCommand { option }.Parse(["--at", text]);

        StringAssert.StartsWith(parse.Errors.Single().Message, $"--at is '{text}'; allowed: an RFC 3339 time with its offset");
    }

    [TestMethod]
    [DataRow("projects/my-project/datasets/sales_2026/tables/daily", "projects/my-project/datasets/sales_2026/tables/daily")]
    [DataRow("my-project.sales_2026.daily", "projects/my-project/datasets/sales_2026/tables/daily")]
    [DataRow("`my-project.sales_2026.daily`", "projects/my-project/datasets/sales_2026/tables/daily")]
    [DataRow("my-project:sales_2026.daily", "projects/my-project/datasets/sales_2026/tables/daily")]
    [DataRow("example.com:my-project:sales.daily", "projects/example.com:my-project/datasets/sales/tables/daily")]
    [DataRow(" p.d.t-1 ", "projects/p/datasets/d/tables/t-1")]
    public void Normalize_PastedForms_ApiForm(string text, string expected) =>
        Assert.AreEqual(expected, BigQueryTableName.Normalize(text));

    [TestMethod]
    [DataRow("my-project.dataset")]
    [DataRow("a.b.c.d")]
    [DataRow("my-project/dataset/table")]
    [DataRow("projects/p/datasets/d")]
    [DataRow("p.data-set.t")]
    [DataRow("p:d")]
    [DataRow("")]
    public void Normalize_NotATable_Null(string text) => Assert.IsNull(BigQueryTableName.Normalize(text));

    [TestMethod]
    public void Problems_LocalWithProjectAndInstance_NamesBoth()
    {
        MigrationSettings settings = Settings() with { Local = true, Project = "prod", Instance = "serving" };

        string problem = settings.Problems().Single();

        StringAssert.StartsWith(problem, "--local runs on the emulator, but --project prod --instance serving names a Google Cloud instance");
    }

    [TestMethod]
    public void Problems_ProjectWithoutLocal_None() =>
        Assert.IsEmpty((Settings() with { Project = "prod", Instance = "serving" }).Problems());

    [TestMethod]
    [DataRow("notahost")]
    [DataRow("host:")]
    [DataRow(":8086")]
    [DataRow("host:0")]
    [DataRow("host:65536")]
    [DataRow("http://host:8086")]
    [DataRow("::1:8086")]
    public void EndpointVariableProblem_NotHostPort_NamesVariableAndForm(string value)
    {
        string? problem = OutputChecks.EndpointVariableProblem("BIGTABLE_EMULATOR_HOST", _ => value);

        Assert.AreEqual($"BIGTABLE_EMULATOR_HOST is '{value}'; allowed: host:port with a port from 1 to 65535, e.g. localhost:8086, 127.0.0.1:8086 or [::1]:8086.", problem);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("127.0.0.1:8086")]
    [DataRow("[::1]:8086")]
    [DataRow("localhost:8086")]
    public void EndpointVariableProblem_UnsetOrHostPort_None(string? value) =>
        Assert.IsNull(OutputChecks.EndpointVariableProblem("BIGTABLE_EMULATOR_HOST", _ => value));

    [TestMethod]
    public void FileProblem_WritableFolder_NoneAndNothingLeftBehind()
    {
        DirectoryInfo folder = Directory.CreateTempSubdirectory("sf-out-");
        try
        {
            Assert.IsNull(OutputChecks.FileProblem("--summary-json", Path.Combine(folder.FullName, "s.json")));
            Assert.IsNull(OutputChecks.FileProblem("--checkpoint", Path.Combine(folder.FullName, "a", "b", "c.json"), createsFolder: true));
            Assert.IsEmpty(folder.GetFileSystemInfos(), "the probe is removed and no folder is created");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [TestMethod]
    public void FileProblem_ExistingFile_LeftUnchanged()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "kept");

            Assert.IsNull(OutputChecks.FileProblem("--dead-letter", file));
            Assert.AreEqual("kept", File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestMethod]
    public void FileProblem_ParentIsAFile_NamesIt()
    {
        string file = Path.GetTempFileName();
        try
        {
            StringAssert.Contains(OutputChecks.FileProblem("--checkpoint", Path.Combine(file, "c.json"), createsFolder: true), $"{file} is a file, not a folder");
            StringAssert.Contains(OutputChecks.FileProblem("--dead-letter", Path.Combine(file, "d.jsonl")), $"the folder {file} does not exist");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestMethod]
    public void Section_DeclaredCodes_OneLineEach()
    {
        var command = new Command("x").WithExitCodes(new ExitCode(ExitCodes.Success, "ok"), new ExitCode(ExitCodes.Stopped, "stopped"));

        string section = ExitCodeHelp.Section(command);

        Assert.AreEqual($"Exit codes:{Environment.NewLine}  0    ok{Environment.NewLine}  130  stopped{Environment.NewLine}", section);
        Assert.AreEqual(string.Empty, ExitCodeHelp.Section(new Command("y")));
    }

    private static MigrationSettings Settings() => new()
    {
        Source = "sample",
        VerifyText = "full",
        DeadLetterFile = new FileInfo("dl.jsonl"),
        SampleRows = 1000,
    };
}
