using System.Text.Json;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// Every .tf file under a folder such as <c>infra/terraform</c>, converted to JSON: its resources, data sources and
/// variables as blocks with their file, type and name, and the files' text for the headers the converter drops.
/// </summary>
internal sealed class TerraformConfiguration
{
    public required IReadOnlyList<string> Files { get; init; }

    public required IReadOnlyList<TerraformBlock> Resources { get; init; }

    public required IReadOnlyList<TerraformBlock> DataSources { get; init; }

    public required IReadOnlyList<TerraformBlock> Variables { get; init; }

    /// <summary>Every <c>locals</c> value by name, over all files.</summary>
    public required IReadOnlyDictionary<string, JsonElement> Locals { get; init; }

    /// <summary>The repository's <c>infra/terraform</c>, found upward from the test's folder.</summary>
    public static string Folder() => Path.Combine(RepositoryRoot(), "infra", "terraform");

    public static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "infra", "terraform")) && File.Exists(Path.Combine(dir.FullName, "StreamingFeatures.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No infra/terraform above {AppContext.BaseDirectory}.");
    }

    /// <summary>Every .tf file under <paramref name="folder"/> (not Terraform's own .terraform working folders).</summary>
    public static TerraformConfiguration Load(string folder)
    {
        string[] files = [.. Directory.EnumerateFiles(folder, "*.tf", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.terraform{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"No .tf file under {folder}.");
        }

        Dictionary<string, JsonElement> documents = TerraformConverter.Convert(files);
        var resources = new List<TerraformBlock>();
        var dataSources = new List<TerraformBlock>();
        var variables = new List<TerraformBlock>();
        var locals = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            JsonElement document = documents[file];
            resources.AddRange(Typed(file, document, "resource"));
            dataSources.AddRange(Typed(file, document, "data"));
            if (document.TryGetProperty("variable", out JsonElement declared))
            {
                variables.AddRange(declared.EnumerateObject().SelectMany(v => v.Value.EnumerateArray().Select(body => new TerraformBlock(file, "variable", v.Name, body))));
            }

            foreach (JsonProperty local in document.TryGetProperty("locals", out JsonElement blocks) ? blocks.EnumerateArray().SelectMany(b => b.EnumerateObject()) : [])
            {
                locals[local.Name] = local.Value;
            }
        }

        return new TerraformConfiguration { Files = files, Resources = resources, DataSources = dataSources, Variables = variables, Locals = locals };
    }

    public IEnumerable<TerraformBlock> OfType(string type) => Resources.Where(r => r.Type == type);

    private static IEnumerable<TerraformBlock> Typed(string file, JsonElement document, string kind) =>
        document.TryGetProperty(kind, out JsonElement types)
            ? types.EnumerateObject().SelectMany(type => type.Value.EnumerateObject().SelectMany(
                name => name.Value.EnumerateArray().Select(body => new TerraformBlock(file, type.Name, name.Name, body))))
            : [];
}

/// <summary>One resource, data source or variable block: where it is and its body as hcl2json gives it.</summary>
internal sealed record TerraformBlock(string File, string Type, string Name, JsonElement Body)
{
    public string? String(string attribute) =>
        Body.TryGetProperty(attribute, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The nested blocks called <paramref name="name"/> (hcl2json gives every block as an array).</summary>
    public IEnumerable<JsonElement> Blocks(string name) =>
        Body.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    public override string ToString() => $"{Type}.{Name} ({Path.GetFileName(Path.GetDirectoryName(File))}/{Path.GetFileName(File)})";
}
