using System.Globalization;
using System.Text;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>Literals: reading them, their values (INT64, FLOAT64, TIMESTAMP as micros) and a column compared with one.</summary>
internal sealed partial class RowRestrictionParser
{
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
