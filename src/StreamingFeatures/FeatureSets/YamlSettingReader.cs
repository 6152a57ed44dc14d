using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace StreamingFeatures.FeatureSets;

/// <summary>
/// Reads YAML parser events into <see cref="SettingNode"/>s. Keys stay in order with duplicates intact (the binder
/// reports them) and aliases reuse the anchored node, so expansion costs nothing.
/// </summary>
internal static class YamlSettingReader
{
    private const int MaxDepth = 64;

    public static SettingNode Read(string text)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out StreamEnd? end))
            {
                throw new SettingSyntaxException(At(end.Start), "the text holds no YAML document");
            }

            parser.Consume<DocumentStart>();
            SettingNode root = ReadNode(parser, new Dictionary<string, SettingNode>(StringComparer.Ordinal), 0);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out DocumentStart? next))
            {
                throw new SettingSyntaxException(At(next.Start), "the text holds more than one YAML document; allowed: one");
            }

            return root;
        }
        catch (YamlException e)
        {
            // YamlDotNet places a tab error at the start of the enclosing mapping; the offending line is more use.
            TextPosition position = e.Message.Contains("tab", StringComparison.Ordinal) && FirstTabIndent(text) is { } tab ? tab : At(e.Start);
            throw new SettingSyntaxException(position, "YAML syntax error: " + e.Message.TrimEnd('.'), e);
        }
        catch (InvalidOperationException e)
        {
            // Some malformed input escapes the scanner as a bare exception (aaubry/YamlDotNet#541); report it as what it is.
            TextPosition position = parser.Current is { } last ? At(last.End) : new TextPosition(1, 1);
            throw new SettingSyntaxException(position, "YAML syntax error: the text cannot be read past this point", e);
        }
    }

    private static TextPosition? FirstTabIndent(string text)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int column = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (column >= 0 && string.IsNullOrWhiteSpace(lines[i][..column]))
            {
                return new TextPosition(i + 1, column + 1);
            }
        }

        return null;
    }

    private static SettingNode ReadNode(IParser parser, Dictionary<string, SettingNode> anchors, int depth)
    {
        ParsingEvent current = parser.Current!;
        if (depth > MaxDepth)
        {
            throw new SettingSyntaxException(At(current.Start), $"nesting deeper than {MaxDepth} levels");
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            // An anchor is registered once its node is complete, so an alias to an ancestor (a cycle) is not found.
            return anchors.TryGetValue(alias.Value.Value, out SettingNode? target)
                ? target
                : throw new SettingSyntaxException(At(alias.Start), $"alias *{alias.Value.Value} refers to no complete anchor");
        }

        SettingNode node;
        AnchorName anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor;
            node = new SettingScalar(At(scalar.Start), KindOf(scalar), scalar.Value);
        }
        else if (parser.TryConsume<SequenceStart>(out var sequence))
        {
            anchor = sequence.Anchor;
            var items = new List<SettingNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, anchors, depth + 1));
            }

            node = new SettingSequence(At(sequence.Start), items);
        }
        else
        {
            MappingStart mapping = parser.Consume<MappingStart>();
            anchor = mapping.Anchor;
            var entries = new List<SettingEntry>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                SettingNode key = ReadNode(parser, anchors, depth + 1);
                if (key is not SettingScalar { Kind: not ScalarKind.Null } name)
                {
                    throw new SettingSyntaxException(key.Position, $"a key is {key.Describe()}; allowed: a setting name");
                }

                entries.Add(new SettingEntry(name.Text, name.Position, ReadNode(parser, anchors, depth + 1)));
            }

            node = new SettingMapping(At(mapping.Start), entries);
        }

        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    private static ScalarKind KindOf(Scalar scalar) => scalar.Style switch
    {
        ScalarStyle.Plain when scalar.Value is "" or "~" or "null" or "Null" or "NULL" => ScalarKind.Null,
        ScalarStyle.Plain => ScalarKind.Plain,
        _ => ScalarKind.String,
    };

    private static TextPosition At(Mark mark) => new(mark.Line, mark.Column);
}
