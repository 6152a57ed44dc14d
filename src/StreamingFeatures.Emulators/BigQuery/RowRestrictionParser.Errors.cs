using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>Errors: what is not supported (with the grammar the emulator knows) and what BigQuery itself would refuse.</summary>
internal sealed partial class RowRestrictionParser
{
    private const string Supported =
        "the emulator supports comparisons (=, !=, <>, <, <=, >, >=) of a column with a literal, [NOT] IN (literals), "
        + "[NOT] BETWEEN x AND y, [NOT] LIKE 'pattern' (STRING, BYTES), IS [NOT] NULL, a BOOL column, "
        + "MOD, ABS, COALESCE, FARM_FINGERPRINT, CAST(... AS STRING|BYTES) and CONCAT compared with an integer, "
        + "NOT, AND, OR and parentheses";

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
}
