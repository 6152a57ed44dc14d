using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// The boolean structure, with GoogleSQL's precedence: OR binds loosest, then AND, then NOT; comparisons, IN, BETWEEN,
/// LIKE and IS bind tighter than NOT (<c>NOT a = 1 OR b = 2</c> is <c>(NOT (a = 1)) OR (b = 2)</c>).
/// </summary>
internal sealed partial class RowRestrictionParser
{
    private RowCondition Disjunction()
    {
        var terms = new List<RowCondition> { Conjunction() };
        while (Peek.IsWord("OR"))
        {
            _next++;
            terms.Add(Conjunction());
        }

        return terms.Count == 1 ? terms[0] : new OrCondition([.. terms]);
    }

    private RowCondition Conjunction()
    {
        var terms = new List<RowCondition> { Negation() };
        while (Peek.IsWord("AND"))
        {
            _next++;
            terms.Add(Negation());
        }

        return terms.Count == 1 ? terms[0] : new AndCondition([.. terms]);
    }

    private RowCondition Negation()
    {
        if (!Peek.IsWord("NOT"))
        {
            return Condition();
        }

        _next++;
        return new NotCondition(Negation());
    }

    private RowCondition Condition()
    {
        if (Peek.Kind == TokenKind.Open)
        {
            _next++;
            RowCondition inner = Disjunction();
            Expect(TokenKind.Close);
            return inner;
        }

        Subject subject = ReadSubject();
        if (Peek.IsWord("IS"))
        {
            bool isNull = IsNull();
            return subject.Expression is { } expression ? new Int64ExpressionNullCondition(expression, isNull) : new NullCondition(subject.Ordinal, isNull);
        }

        // A bare BOOL column is a condition of its own: `flag AND id > 0`.
        if (subject.Field is { Type: ColumnType.Bool } && (Peek.Kind is TokenKind.End or TokenKind.Close || Peek.IsWord("AND") || Peek.IsWord("OR")))
        {
            return new BoolCondition(subject.Ordinal, Comparison.Equal, true);
        }

        bool not = Peek.IsWord("NOT");
        _next += not ? 1 : 0;
        Token keyword = Peek;
        RowCondition predicate = keyword.IsWord("IN") ? In(subject)
            : keyword.IsWord("BETWEEN") ? Between(subject)
            : keyword.IsWord("LIKE") ? Like(subject)
            : not ? throw Unsupported("NOT " + keyword.Text, keyword)
            : Compare(subject, Operator(), keyword, ReadLiteral());
        return not ? new NotCondition(predicate) : predicate;
    }

    /// <summary><c>IN (a, b, …)</c>: the OR of equalities, so a NULL in the list makes a non-match unknown, as in SQL.</summary>
    private RowCondition In(Subject subject)
    {
        Token keyword = Take();
        Expect(TokenKind.Open);
        var terms = new List<RowCondition> { Compare(subject, Comparison.Equal, keyword, ReadLiteral()) };
        while (Peek.Kind == TokenKind.Comma)
        {
            _next++;
            terms.Add(Compare(subject, Comparison.Equal, keyword, ReadLiteral()));
        }

        Expect(TokenKind.Close);
        return terms.Count == 1 ? terms[0] : new OrCondition([.. terms]);
    }

    /// <summary><c>BETWEEN low AND high</c>: <c>x &gt;= low AND x &lt;= high</c>, bounds included.</summary>
    private RowCondition Between(Subject subject)
    {
        Token keyword = Take();
        RowCondition low = Compare(subject, Comparison.GreaterOrEqual, keyword, ReadLiteral());
        Token and = Take();
        if (!and.IsWord("AND"))
        {
            throw Error($"Expected AND after BETWEEN's lower bound at position {and.Position}, found '{and.Text}'");
        }

        return new AndCondition([low, Compare(subject, Comparison.LessOrEqual, keyword, ReadLiteral())]);
    }

    private RowCondition Like(Subject subject)
    {
        Token keyword = Take();
        Literal pattern = ReadLiteral();
        if (subject.Field is not { Type: ColumnType.String or ColumnType.Bytes } field)
        {
            string type = subject.Field is { } other ? BigQueryType(other.Type) : "INT64";
            throw Error($"No matching signature for operator LIKE for argument types: {type}, {TypeName(pattern.Kind)}; LIKE applies to STRING and BYTES columns");
        }

        return pattern.Kind switch
        {
            LiteralKind.Null => UnknownCondition.Instance,
            LiteralKind.String => LikeCondition.Create(subject.Ordinal, field.Type == ColumnType.String, pattern.Text),
            _ => throw Error($"No matching signature for operator {keyword.Text} for argument types: {BigQueryType(field.Type)}, {TypeName(pattern.Kind)} (column '{field.Name}')"),
        };
    }

    /// <summary>A column, or an INT64 function of columns.</summary>
    private Subject ReadSubject()
    {
        if (Peek.Kind == TokenKind.Word && _tokens[_next + 1].Kind == TokenKind.Open && IsFunction(Peek))
        {
            return new Subject(-1, null, FunctionSubject());
        }

        (int ordinal, SourceField field) = Column();
        return new Subject(ordinal, field, null);
    }

    private RowCondition Compare(Subject subject, Comparison comparison, Token op, Literal literal) => subject.Expression is { } expression
        ? literal.Kind == LiteralKind.Null ? UnknownCondition.Instance : new Int64ExpressionCondition(expression, comparison, Integer(literal.Token))
        : Compare(subject.Ordinal, subject.Field!, comparison, op, literal);

    /// <summary>The left side of a predicate: a column (<see cref="Field"/>) or an INT64 expression.</summary>
    private readonly record struct Subject(int Ordinal, SourceField? Field, Int64Expression? Expression);
}
