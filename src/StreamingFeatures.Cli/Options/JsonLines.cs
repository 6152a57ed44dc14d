using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace StreamingFeatures.Cli.Options;

/// <summary>
/// <c>--log-format json</c> for commands that print with Spectre.Console: every line they print becomes
/// <c>{"message": "..."}</c>, and the figures a script wants (the plan, the summary) are written as objects of their
/// own, so standard output is one JSON object per line.
/// </summary>
internal static class JsonLines
{
    private static readonly TextWriter s_out = Console.Out;

    /// <summary>True once <see cref="Enable"/> ran: print objects with <see cref="Write"/>, not grids.</summary>
    public static bool IsOn { get; private set; }

    public static void Enable()
    {
        IsOn = true;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(new MessageWriter(s_out)),
        });
        AnsiConsole.Profile.Width = 1 << 20;
    }

    /// <summary>One line: <c>{"kind": value}</c>, <paramref name="json"/> being the value's JSON already.</summary>
    public static void WriteRaw(string kind, string json)
    {
        using JsonDocument value = JsonDocument.Parse(json);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(kind);
            value.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        }

        s_out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>One line: <c>{"kind": value}</c>.</summary>
    public static void Write<T>(string kind, T value) =>
        s_out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, T> { [kind] = value }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    /// <summary>Each line written becomes <c>{"message": line}</c>; blank lines are dropped.</summary>
    private sealed class MessageWriter(TextWriter inner) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                Flush();
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }

        public override void Flush()
        {
            string line = _line.ToString().TrimEnd();
            _line.Clear();
            if (line.Length > 0)
            {
                inner.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = line }));
            }

            inner.Flush();
        }
    }
}
