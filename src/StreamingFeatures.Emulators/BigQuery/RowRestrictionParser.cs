using StreamingFeatures.Sources;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// The subset of GoogleSQL row restrictions the emulator evaluates: <c>column OP literal</c> with OP one of
/// <c>= != &lt;&gt; &lt; &lt;= &gt; &gt;=</c> on INT64, FLOAT64, STRING, TIMESTAMP (and = or != on BOOL) columns,
/// <c>[NOT] IN (literals)</c>, <c>[NOT] BETWEEN x AND y</c>, <c>[NOT] LIKE 'pattern'</c> on STRING and BYTES,
/// <c>IS [NOT] NULL</c>, a bare BOOL column, INT64 expressions of MOD, ABS, COALESCE, FARM_FINGERPRINT, CAST and
/// CONCAT compared with integers (the migration's hash shard form), joined by NOT, AND and OR (binding in that order)
/// and parentheses, in SQL's three-valued logic. Anything else throws a <see cref="FormatException"/> naming what is
/// not supported, which the service returns as INVALID_ARGUMENT.
/// </summary>
internal sealed partial class RowRestrictionParser
{
    private readonly string _text;
    private readonly SourceSchema _schema;
    private readonly List<Token> _tokens;
    private int _next;

    private RowRestrictionParser(string text, SourceSchema schema)
    {
        _text = text;
        _schema = schema;
        _tokens = RowRestrictionLexer.Tokenise(text);
    }

    /// <summary>The filter of <paramref name="text"/>, or null when it is empty.</summary>
    public static RowFilter? Parse(string text, SourceSchema schema)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parser = new RowRestrictionParser(text, schema);
        RowCondition condition = parser.Disjunction();
        parser.Expect(TokenKind.End);
        return new RowFilter(condition);
    }

    /// <summary>The table ordinal of <paramref name="name"/>: exact, else the one field equal ignoring case (BigQuery names are case-insensitive); -1 when none.</summary>
    public static int Ordinal(SourceSchema schema, string name)
    {
        int exact = schema.IndexOf(name);
        if (exact >= 0)
        {
            return exact;
        }

        for (int i = 0; i < schema.Fields.Count; i++)
        {
            if (string.Equals(schema.Fields[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private Token Peek => _tokens[_next];

    private (int Ordinal, SourceField Field) Column()
    {
        Token token = Take();
        bool isFunction = token.Kind == TokenKind.Word && Peek.Kind == TokenKind.Open;
        if (token.Kind is not (TokenKind.Word or TokenKind.QuotedName) || isFunction || IsKeyword(token))
        {
            throw Unsupported(isFunction ? token.Text + "(...)" : token.Text, token);
        }

        int ordinal = Ordinal(_schema, token.Text);
        return ordinal >= 0 ? (ordinal, _schema.Fields[ordinal]) : throw Error($"Unrecognized name: {token.Text}");
    }

    private Comparison Operator()
    {
        Token token = Take();
        return token.Kind != TokenKind.Operator ? throw Unsupported(token.Text, token) : token.Text switch
        {
            "=" => Comparison.Equal,
            "!=" or "<>" => Comparison.NotEqual,
            "<" => Comparison.Less,
            "<=" => Comparison.LessOrEqual,
            ">" => Comparison.Greater,
            ">=" => Comparison.GreaterOrEqual,
            _ => throw Unsupported(token.Text, token),
        };
    }

    /// <summary>Reads <c>IS NULL</c> or <c>IS NOT NULL</c>; true for IS NULL.</summary>
    private bool IsNull()
    {
        _next++;
        bool not = Peek.IsWord("NOT");
        _next += not ? 1 : 0;
        Token token = Take();
        return token.IsWord("NULL") ? !not : throw Unsupported(token.Text, token);
    }

    private Token Take() => _tokens[Math.Min(_next++, _tokens.Count - 1)];

    private void Expect(TokenKind kind)
    {
        Token token = Take();
        if (token.Kind != kind)
        {
            throw Unsupported(token.Text, token);
        }
    }

    private static bool IsKeyword(Token token) =>
        token.Kind == TokenKind.Word && token.Text.ToUpperInvariant() is "AND" or "OR" or "NOT" or "IS" or "IN" or "BETWEEN" or "LIKE" or "NULL" or "TRUE" or "FALSE" or "CASE";

    private static bool IsFunction(Token token) =>
        token.Text.ToUpperInvariant() is "MOD" or "ABS" or "COALESCE" or "FARM_FINGERPRINT" or "CAST" or "CONCAT";
}
