using System.Globalization;
using System.Text;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

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
    private const string Supported =
        "the emulator supports comparisons (=, !=, <>, <, <=, >, >=) of a column with a literal, [NOT] IN (literals), "
        + "[NOT] BETWEEN x AND y, [NOT] LIKE 'pattern' (STRING, BYTES), IS [NOT] NULL, a BOOL column, "
        + "MOD, ABS, COALESCE, FARM_FINGERPRINT, CAST(... AS STRING|BYTES) and CONCAT compared with an integer, "
        + "NOT, AND, OR and parentheses";

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

    private RowCondition Compare(int ordinal, SourceField field, Comparison comparison, Token op, Literal literal) => (field.Type, literal.Kind) switch
    {
        (_, LiteralKind.Null) => UnknownCondition.Instance,
        (ColumnType.Int64, LiteralKind.Integer) => new Int64Condition(ordinal, comparison, Integer(literal.Token)),
        (ColumnType.Int64 or ColumnType.Float64, LiteralKind.Integer or LiteralKind.Float) => new DoubleCondition(ordinal, comparison, Float(literal.Token)),
        (ColumnType.String, LiteralKind.String) => new StringCondition(ordinal, comparison, Encoding.UTF8.GetBytes(literal.Text)),

        // BigQuery coerces a string literal compared with a TIMESTAMP column to a timestamp.
        (ColumnType.Timestamp, LiteralKind.Timestamp or LiteralKind.String) => new Int64Condition(ordinal, comparison, Micros(literal)),
        (ColumnType.Bool, LiteralKind.Bool) when comparison is Comparison.Equal or Comparison.NotEqual =>
            new BoolCondition(ordinal, comparison, literal.Token.IsWord("TRUE")),
        _ => throw Error($"No matching signature for operator {op.Text} for argument types: {BigQueryType(field.Type)}, {TypeName(literal.Kind)} (column '{field.Name}')"),
    };

    private Literal ReadLiteral()
    {
        Token token = Take();
        switch (token.Kind)
        {
            case TokenKind.Integer:
                return new Literal(LiteralKind.Integer, token.Text, token);
            case TokenKind.Float:
                return new Literal(LiteralKind.Float, token.Text, token);
            case TokenKind.String:
                return new Literal(LiteralKind.String, token.Text, token);
            case TokenKind.Word when token.IsWord("NULL"):
                return new Literal(LiteralKind.Null, token.Text, token);
            case TokenKind.Word when token.IsWord("TRUE") || token.IsWord("FALSE"):
                return new Literal(LiteralKind.Bool, token.Text, token);
            case TokenKind.Word when token.IsWord("TIMESTAMP"):
                bool call = Peek.Kind == TokenKind.Open;
                _next += call ? 1 : 0;
                Token text = Take();
                if (text.Kind != TokenKind.String)
                {
                    throw Unsupported(text.Text, text);
                }

                if (call)
                {
                    Expect(TokenKind.Close);
                }

                return new Literal(LiteralKind.Timestamp, text.Text, text);
            default:
                throw Unsupported(token.Kind == TokenKind.Word && Peek.Kind == TokenKind.Open ? token.Text + "(...)" : token.Text, token);
        }
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

    private long Integer(Token token) =>
        token.Kind == TokenKind.Integer && long.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw Error($"Expected an INT64 literal at position {token.Position}, found '{token.Text}'");

    private double Float(Token token) =>
        double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw Error($"Invalid number '{token.Text}' at position {token.Position}");

    private long Micros(Literal literal)
    {
        string text = literal.Text;
        Token token = literal.Token;
        string trimmed = text.Trim();
        trimmed = trimmed.EndsWith(" UTC", StringComparison.OrdinalIgnoreCase) ? trimmed[..^4] : trimmed;
        return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time)
            ? (time.UtcTicks - DateTime.UnixEpoch.Ticks) / 10
            : throw Error($"Invalid timestamp: '{text}' at position {token.Position}");
    }

    private static bool IsKeyword(Token token) =>
        token.Kind == TokenKind.Word && token.Text.ToUpperInvariant() is "AND" or "OR" or "NOT" or "IS" or "IN" or "BETWEEN" or "LIKE" or "NULL" or "TRUE" or "FALSE" or "CASE";

    private static string TypeName(LiteralKind kind) => kind switch
    {
        LiteralKind.Integer => "INT64",
        LiteralKind.Float => "FLOAT64",
        LiteralKind.String => "STRING",
        LiteralKind.Timestamp => "TIMESTAMP",
        LiteralKind.Null => "NULL",
        _ => "BOOL",
    };

    private static string BigQueryType(ColumnType type) => type switch
    {
        ColumnType.Int64 => "INT64",
        ColumnType.Float64 => "FLOAT64",
        ColumnType.Bool => "BOOL",
        ColumnType.String => "STRING",
        ColumnType.Bytes => "BYTES",
        _ => "TIMESTAMP",
    };

    private FormatException Unsupported(string what, Token token) =>
        new($"Unsupported row restriction: '{what}' at position {token.Position} in \"{_text}\"; {Supported}.");

    private FormatException Error(string message) => new($"Invalid row restriction \"{_text}\": {message}.");

    private enum LiteralKind
    {
        Integer,
        Float,
        String,
        Timestamp,
        Bool,
        Null,
    }

    private readonly record struct Literal(LiteralKind Kind, string Text, Token Token);
}
