using Spectre.Console;
using Spectre.Console.Rendering;

namespace StreamingFeatures.Cli.Options;

/// <summary>Tables and grids for people: on a terminal as Spectre.Console draws them; in a pipe without the padding.</summary>
internal static class Screen
{
    /// <summary>
    /// Writes <paramref name="renderable"/>. When output is redirected (a file, a pipe, a container's log) each line
    /// loses the spaces Spectre pads its last column with, so logs and diffs carry no trailing whitespace.
    /// </summary>
    public static void Write(IRenderable renderable)
    {
        if (!Console.IsOutputRedirected || JsonLines.IsOn)
        {
            AnsiConsole.Write(renderable);
            return;
        }

        var text = new StringWriter();
        IAnsiConsole capture = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        capture.Profile.Width = AnsiConsole.Profile.Width;
        capture.Write(renderable);
        foreach (string line in text.ToString().Split('\n'))
        {
            if (line.Length > 0)
            {
                Console.Out.WriteLine(line.TrimEnd());
            }
        }
    }
}
