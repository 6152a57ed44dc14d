using System.CommandLine;
using Google.Cloud.Bigtable.Admin.V2;
using Google.Protobuf;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Get;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.Cli.Schema;

/// <summary>
/// <c>streamingfeatures schema</c>: the table a feature set needs — its column families and GC rules — as Terraform or
/// as the Bigtable admin API's CreateTable JSON, from the code that creates tables, so infrastructure cannot drift.
/// </summary>
internal static class SchemaCommand
{
    public const string Name = "schema";

    private static readonly Option<string> Format = new("--format") { Description = "terraform (a google_bigtable_table with deletion protection and its google_bigtable_gc_policy resources, referring to var.project_id and var.bigtable_instance) or json (the admin API's CreateTable body: tableId and table).", DefaultValueFactory = _ => "terraform" };
    private static readonly Option<FileInfo?> Output = new("--output") { Description = "Write to this file (replaced whole) instead of standard output." };

    public static Command Create()
    {
        var command = new Command(Name, "Print the Bigtable table a feature set needs (column families and their GC rules) as Terraform or JSON.");
        foreach (Option option in (Option[])[JobFlags.Verify.FeatureSetFile, JobFlags.Verify.Table, Format, Output])
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => Run(parse));
        return command.WithExitCodes(
            new ExitCode(ExitCodes.Success, "The schema was written."),
            new ExitCode(ExitCodes.BadInput, "Bad flags or feature set, or the output file cannot be written."));
    }

    /// <summary>
    /// The command that regenerates the file, with paths as they were typed, for its header; the Terraform policy test
    /// runs it again (as <c>--format json</c>) to check the committed file still matches its feature set.
    /// </summary>
    private static string CommandLine(ParseResult parse)
    {
        var line = new List<string> { "streamingfeatures", Name };
        foreach (Option option in (Option[])[JobFlags.Verify.FeatureSetFile, JobFlags.Verify.Table, Format, Output])
        {
            if (parse.GetResult(option) is { Implicit: false } result)
            {
                line.Add(option.Name);
                line.AddRange(result.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) ? $"'{t.Value}'" : t.Value));
            }
        }

        return string.Join(' ', line);
    }

    private static int Run(ParseResult parse)
    {
        string format = parse.GetValue(Format)!;
        if (format is not ("terraform" or "json"))
        {
            return GetRunner.BadInput($"--format is '{format}'; allowed: terraform, json.");
        }

        FeatureSetOptions featureSet;
        FileInfo? file = parse.GetValue(JobFlags.Verify.FeatureSetFile);
        try
        {
            featureSet = file is not null
                ? FeatureSetLoader.Load(file.FullName)
                : SourceSpec.Sample(1, MigrationJobLimits.SampleFeatures.Default).FeatureSet(GetRunner.SampleTable);
        }
        catch (FeatureSetException e)
        {
            return GetRunner.BadInput(e.Message);
        }

        if (parse.GetValue(JobFlags.Verify.Table) is { } table)
        {
            featureSet.Table = table;
            if (FeatureSetValidator.Validate(featureSet).Count > 0)
            {
                return GetRunner.BadInput($"--table is '{table}'; allowed a Bigtable table id ({FeatureSetValidator.TableRule}).");
            }
        }

        Table schema = TableProvisioner.TableOf(featureSet);
        string text = format == "json"
            ? JsonFormatter.Default.Format(new CreateTableRequest { TableId = featureSet.Table, Table = schema }) + "\n"
            : TerraformSchema.Render(featureSet.Table, schema, CommandLine(parse));
        FileInfo? output = parse.GetValue(Output);
        if (output is null)
        {
            Console.Out.Write(text);
            return ExitCodes.Success;
        }

        string temporary = output.FullName + ".tmp";
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, output.FullName, overwrite: true);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            return GetRunner.BadInput($"--output is '{output.FullName}', which cannot be written: {e.Message}");
        }
    }
}
