using System.Text;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// Function expressions: enough of GoogleSQL for the hash shard restriction
/// <c>ABS(MOD(COALESCE(FARM_FINGERPRINT(CAST(`k` AS STRING)), 0), n)) = i</c> and its CONCAT form for composite keys.
/// </summary>
internal sealed partial class RowRestrictionParser
{
    /// <summary>An INT64-valued function call, the left side of a comparison, IN, BETWEEN or IS [NOT] NULL.</summary>
    private Int64Expression FunctionSubject()
    {
        Token start = Peek;
        Operand operand = ReadOperand();
        return operand.Int64 ?? throw Error($"No matching signature for a comparison of {BigQueryType(operand.Type)} ({start.Text}(...)) with an INT64 literal");
    }

    private Operand ReadOperand()
    {
        Token token = Take();
        if (token.Kind == TokenKind.Word && Peek.Kind == TokenKind.Open)
        {
            return IsFunction(token) ? Function(token) : throw Unsupported(token.Text + "(...)", token);
        }

        switch (token.Kind)
        {
            case TokenKind.Integer:
                return new Operand(ColumnType.Int64, -1, new Int64LiteralExpression(Integer(token)), null);
            case TokenKind.String:
                return new Operand(ColumnType.String, -1, null, new BytesLiteralExpression(Encoding.UTF8.GetBytes(token.Text)));
            case TokenKind.Word or TokenKind.QuotedName when !IsKeyword(token):
                int ordinal = Ordinal(_schema, token.Text);
                if (ordinal < 0)
                {
                    throw Error($"Unrecognized name: {token.Text}");
                }

                ColumnType type = _schema.Fields[ordinal].Type;
                return type switch
                {
                    ColumnType.Int64 => new Operand(type, ordinal, new Int64ColumnExpression(ordinal), null),
                    ColumnType.String or ColumnType.Bytes => new Operand(type, ordinal, null, new BinaryColumnExpression(ordinal)),
                    _ => new Operand(type, ordinal, null, null),
                };
            default:
                throw Unsupported(token.Text, token);
        }
    }

    private Operand Function(Token name)
    {
        _next++;
        string function = name.Text.ToUpperInvariant();
        Operand result = function switch
        {
            "MOD" => Modulo(),
            "ABS" => new Operand(ColumnType.Int64, -1, new AbsExpression(Int64Argument(function, ReadOperand())), null),
            "COALESCE" => new Operand(ColumnType.Int64, -1, new CoalesceExpression([.. Arguments(function, Int64Argument)]), null),
            "FARM_FINGERPRINT" => new Operand(ColumnType.Int64, -1, new FingerprintExpression(BytesArgument(function, ReadOperand())), null),
            "CAST" => Cast(),
            _ => Concat(),
        };
        Expect(TokenKind.Close);
        return result;
    }

    private Operand Modulo()
    {
        Int64Expression dividend = Int64Argument("MOD", ReadOperand());
        Expect(TokenKind.Comma);
        long divisor = Integer(Take());
        return divisor == 0
            ? throw Error("Division by zero: MOD with a divisor of 0")
            : new Operand(ColumnType.Int64, -1, new ModExpression(dividend, divisor), null);
    }

    private Operand Cast()
    {
        Operand value = ReadOperand();
        Token keyword = Take();
        if (!keyword.IsWord("AS"))
        {
            throw Unsupported(keyword.Text, keyword);
        }

        Token target = Take();
        return (target.Text.ToUpperInvariant(), value.Type) switch
        {
            ("STRING", ColumnType.Int64) => new Operand(ColumnType.String, -1, null, new Int64TextExpression(value.Int64!)),
            ("STRING", ColumnType.String) => value,
            ("STRING", ColumnType.Bool) => new Operand(ColumnType.String, -1, null, new BoolTextExpression(value.Ordinal)),
            ("BYTES", ColumnType.String or ColumnType.Bytes) => value with { Type = ColumnType.Bytes },
            ("INT64", ColumnType.Int64) => value,
            _ => throw Unsupported($"CAST({BigQueryType(value.Type)} AS {target.Text})", target),
        };
    }

    /// <summary>CONCAT of STRING values (INT64 and BOOL converted to text, as BigQuery does) or of BYTES values, not both.</summary>
    private Operand Concat()
    {
        List<Operand> arguments = Arguments("CONCAT", (_, operand) => operand);
        var parts = new BytesExpression[arguments.Count];
        bool bytes = arguments[0].Type == ColumnType.Bytes;
        for (int i = 0; i < parts.Length; i++)
        {
            Operand argument = arguments[i];
            if ((argument.Type == ColumnType.Bytes) != bytes)
            {
                throw Error("No matching signature for function CONCAT: arguments mix STRING and BYTES");
            }

            parts[i] = argument.Type switch
            {
                ColumnType.Int64 => new Int64TextExpression(argument.Int64!),
                ColumnType.Bool => new BoolTextExpression(argument.Ordinal),
                _ => argument.Bytes ?? throw Error($"No matching signature for function CONCAT for argument type {BigQueryType(argument.Type)}"),
            };
        }

        return new Operand(bytes ? ColumnType.Bytes : ColumnType.String, -1, null, new ConcatExpression(parts));
    }

    /// <summary>One or more comma-separated arguments, up to (not including) the closing parenthesis.</summary>
    private List<T> Arguments<T>(string function, Func<string, Operand, T> convert)
    {
        var arguments = new List<T> { convert(function, ReadOperand()) };
        while (Peek.Kind == TokenKind.Comma)
        {
            _next++;
            arguments.Add(convert(function, ReadOperand()));
        }

        return arguments;
    }

    private Int64Expression Int64Argument(string function, Operand operand) =>
        operand.Int64 ?? throw Error($"No matching signature for function {function} for argument type {BigQueryType(operand.Type)}");

    private BytesExpression BytesArgument(string function, Operand operand) =>
        operand.Type is ColumnType.String or ColumnType.Bytes && operand.Bytes is { } bytes
            ? bytes
            : throw Error($"No matching signature for function {function} for argument type {BigQueryType(operand.Type)}; expected STRING or BYTES");

    /// <summary>A typed value: an INT64 expression, a STRING or BYTES expression, or a column of another type (Ordinal).</summary>
    private readonly record struct Operand(ColumnType Type, int Ordinal, Int64Expression? Int64, BytesExpression? Bytes);
}
