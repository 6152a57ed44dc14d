using System.Globalization;

namespace StreamingFeatures.FeatureSets;

/// <summary>Where a node starts in its file, 1-based.</summary>
internal readonly record struct TextPosition(long Line, long Column)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"line {Line}, column {Column}");
}

/// <summary>How a scalar was written; it decides which settings may take it.</summary>
internal enum ScalarKind
{
    /// <summary>JSON <c>null</c>, YAML <c>~</c>, <c>null</c> or nothing: the setting is left unset.</summary>
    Null,

    /// <summary>An unquoted YAML scalar: typed by the setting that reads it, as YAML's core schema intends.</summary>
    Plain,

    /// <summary>A JSON string or a quoted YAML scalar.</summary>
    String,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,
}

/// <summary>
/// A parsed JSON or YAML value with its position; one binder reads both formats, so both report the same paths.
/// </summary>
internal abstract class SettingNode
{
    protected SettingNode(TextPosition position)
    {
        Position = position;
    }

    public TextPosition Position { get; }

    /// <summary>The value as an error message shows it.</summary>
    public abstract string Describe();
}

internal sealed class SettingScalar : SettingNode
{
    public SettingScalar(TextPosition position, ScalarKind kind, string text)
        : base(position)
    {
        Kind = kind;
        Text = text;
    }

    public ScalarKind Kind { get; }

    public string Text { get; }

    public override string Describe() => Kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.String => FeatureSetError.Show(Text),
        ScalarKind.Plain => FeatureSetError.Quote(Text),
        _ => Text,
    };
}

internal sealed class SettingSequence : SettingNode
{
    public SettingSequence(TextPosition position, IReadOnlyList<SettingNode> items)
        : base(position)
    {
        Items = items;
    }

    public IReadOnlyList<SettingNode> Items { get; }

    public override string Describe() => "a list";
}

internal readonly record struct SettingEntry(string Key, TextPosition KeyPosition, SettingNode Value);

internal sealed class SettingMapping : SettingNode
{
    public SettingMapping(TextPosition position, IReadOnlyList<SettingEntry> entries)
        : base(position)
    {
        Entries = entries;
    }

    public IReadOnlyList<SettingEntry> Entries { get; }

    public override string Describe() => "an object";
}

/// <summary>Text that is not well-formed JSON or YAML; the loader reports it with its position.</summary>
internal sealed class SettingSyntaxException : Exception
{
    public SettingSyntaxException(TextPosition position, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Position = position;
    }

    public TextPosition Position { get; }
}
