using System.Text;

namespace StreamingFeatures.Cli.Options;

/// <summary>
/// Help text names the command as users type it: System.CommandLine takes the root's name from the entry assembly
/// (<c>StreamingFeatures.Cli</c>, also under the installed tool's <c>streamingfeatures</c> shim).
/// </summary>
internal sealed class ToolNameWriter(TextWriter inner) : TextWriter
{
    private const string AssemblyName = "StreamingFeatures.Cli";

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => inner.Write(value);

    public override void Write(string? value) => inner.Write(Rename(value));

    public override void Write(char[] buffer, int index, int count) => inner.Write(Rename(new string(buffer, index, count)));

    public override void WriteLine(string? value) => inner.WriteLine(Rename(value));

    public override void Flush() => inner.Flush();

    private static string? Rename(string? text) => text?.Replace(AssemblyName, ParseErrors.ToolName, StringComparison.Ordinal);
}
