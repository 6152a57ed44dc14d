using System.Collections;
using System.CommandLine;
using StreamingFeatures.Cli.Configuration;
using StreamingFeatures.Cli.Options;

namespace StreamingFeatures.Tests.Cli.Configuration;

/// <summary>Flags over <c>STREAMINGFEATURES_*</c> variables over the <c>--config</c> file, each value's source named in errors.</summary>
[TestClass]
public sealed class SettingSourcesTests
{
    private static readonly Option<TimeSpan> Interval = new Option<TimeSpan>("--checkpoint-interval") { DefaultValueFactory = _ => TimeSpan.FromSeconds(5) }.Duration(TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
    private static readonly Option<long> Rows = new Option<long>("--sample-rows") { DefaultValueFactory = _ => 10 }.WholeNumber();
    private static readonly Option<bool> Local = new("--local");
    private static readonly Option<string[]> Tables = new("--table") { Arity = ArgumentArity.OneOrMore };

    private string _folder = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("sf-settings-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public void Resolve_SameSettingInEveryLayer_FlagWinsThenEnvironmentThenFile()
    {
        string file = Write("s.yaml", "checkpoint-interval: 1m\nsample-rows: 7\nlocal: true\n");
        (Command root, Command command) = Commands();

        ParseResult parse = Reparse(root, command, ["run", "--config", file, "--checkpoint-interval", "90s"], new Hashtable { ["STREAMINGFEATURES_SAMPLE_ROWS"] = "8" }, out SettingSources sources);

        Assert.IsEmpty(parse.Errors);
        Assert.AreEqual(TimeSpan.FromSeconds(90), parse.GetValue(Interval), "the flag");
        Assert.AreEqual(8L, parse.GetValue(Rows), "the variable over the file");
        Assert.IsTrue(parse.GetValue(Local), "the file");
        Assert.IsNull(sources.OriginOf(Interval));
        Assert.AreEqual("environment STREAMINGFEATURES_SAMPLEROWS", sources.OriginOf(Rows));
        Assert.AreEqual("file " + file, sources.OriginOf(Local));
    }

    [TestMethod]
    [DataRow("STREAMINGFEATURES_CHECKPOINTINTERVAL")]
    [DataRow("STREAMINGFEATURES_CHECKPOINT_INTERVAL")]
    [DataRow("streamingfeatures_checkpointinterval")]
    public void Resolve_VariableSpelledAnyWay_SetsTheSetting(string variable)
    {
        (Command root, Command command) = Commands();

        ParseResult parse = Reparse(root, command, ["run"], new Hashtable { [variable] = "5m" }, out _);

        Assert.AreEqual(TimeSpan.FromMinutes(5), parse.GetValue(Interval));
    }

    [TestMethod]
    public void Resolve_BadValueFromEnvironment_ErrorNamesTheVariable()
    {
        (Command root, Command command) = Commands();

        ParseResult parse = Reparse(root, command, ["run"], new Hashtable { ["STREAMINGFEATURES_CHECKPOINTINTERVAL"] = "5x" }, out SettingSources sources);
        var error = new StringWriter();
        ParseErrors.Report(parse, error, sources);

        StringAssert.StartsWith(error.ToString(), "error: --checkpoint-interval is '5x' (environment STREAMINGFEATURES_CHECKPOINTINTERVAL); allowed: a duration from 100ms to 1h");
    }

    [TestMethod]
    public void Resolve_JsonFileWithListAndUnknownKey_ListBecomesRepeatedFlagAndUnknownKeyIsAProblem()
    {
        string file = Write("s.json", """{"table": ["a=sample", "b=sample"], "sampel-rows": 3}""");
        (Command root, Command command) = Commands();
        ParseResult first = root.Parse(["run", "--config", file]);

        SettingSources sources = SettingSources.Resolve(root, command, first, new Hashtable());

        CollectionAssert.AreEqual(new[] { "--table=a=sample", "--table=b=sample" }, sources.Tokens.ToArray());
        Assert.HasCount(1, sources.Problems);
        StringAssert.StartsWith(sources.Problems[0], $"Unknown setting 'sampel-rows' in file {file} (line 1");
    }

    [TestMethod]
    public void Resolve_ObjectValue_IsAProblemNamingTheFile()
    {
        string file = Write("s.yaml", "sample-rows:\n  a: 1\n");
        (Command root, Command command) = Commands();

        SettingSources sources = SettingSources.Resolve(root, command, root.Parse(["run", "--config", file]), new Hashtable());

        StringAssert.StartsWith(sources.Problems.Single(), $"--sample-rows is an object in file {file}");
    }

    [TestMethod]
    public void Resolve_VariableOfAnotherCommand_NotIgnoredAloudButUnknownOneIs()
    {
        (Command root, Command command) = Commands();

        SettingSources sources = SettingSources.Resolve(root, command, root.Parse(["run"]), new Hashtable { ["STREAMINGFEATURES_OTHER_FLAG"] = "1", ["STREAMINGFEATURES_NOSUCH"] = "1" });

        CollectionAssert.AreEqual(new[] { "STREAMINGFEATURES_NOSUCH" }, sources.Ignored.ToArray());
        Assert.IsEmpty(sources.Tokens, "another command's setting is not this one's");
    }

    [TestMethod]
    public void Annotate_CheckNamingAFlagFromTheFile_AddsTheFile()
    {
        string file = Write("s.yaml", "sample-rows: 7\n");
        (Command root, Command command) = Commands();
        SettingSources sources = SettingSources.Resolve(root, command, root.Parse(["run", "--config", file]), new Hashtable());

        Assert.AreEqual($"--sample-rows is '7' (file {file}); allowed at least 100.", sources.Annotate("--sample-rows is '7'; allowed at least 100."));
        Assert.AreEqual($"--local and --sample-rows together (--local from ...).", SettingSources.None.Annotate("--local and --sample-rows together (--local from ...)."));
    }

    private static ParseResult Reparse(Command root, Command command, string[] args, IDictionary environment, out SettingSources sources)
    {
        ParseResult first = root.Parse(args);
        Assert.IsEmpty(first.Errors);
        sources = SettingSources.Resolve(root, command, first, environment);
        Assert.IsEmpty(sources.Problems, string.Join("; ", sources.Problems));
        return root.Parse([.. args, .. sources.Tokens]);
    }

    private static (Command Root, Command Command) Commands()
    {
        var command = new Command("run") { Interval, Rows, Local, Tables };
        var other = new Command("other") { new Option<string?>("--other-flag") };
        var root = new RootCommand { command, other };
        SettingSources.AddConfigOption(root, except: "ingest");
        return (root, command);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
