using System.Text;

namespace StreamingFeatures.Emulators.BigQuery;

internal enum TokenKind
{
    Word,
    QuotedName,
    Integer,
    Float,
    String,
    Operator,
    Open,
    Close,
    Comma,
    End,
}

internal readonly record struct Token(TokenKind Kind, string Text, int Position)
{
    public bool IsWord(string word) => Kind == TokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Splits a row restriction into tokens: names, `quoted names`, numbers, 'strings', operators, ( ) and commas.</summary>
internal static class RowRestrictionLexer
{
    public static List<Token> Tokenise(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            int start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || (c is '-' or '.' && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] == '.')))
            {
                tokens.Add(Number(text, ref i));
            }
            else if (c is '\'' or '"' or '`')
            {
                string value = Quoted(text, ref i);
                tokens.Add(new Token(c == '`' ? TokenKind.QuotedName : TokenKind.String, value, start));
            }
            else
            {
                tokens.Add(Symbol(text, ref i));
            }
        }

        tokens.Add(new Token(TokenKind.End, "end of restriction", text.Length));
        return tokens;
    }

    private static Token Number(string text, ref int i)
    {
        int start = i;
        bool isFloat = false;
        i += text[i] == '-' ? 1 : 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '.' or 'e' or 'E'
            || (text[i] is '+' or '-' && text[i - 1] is 'e' or 'E')))
        {
            isFloat |= text[i] is '.' or 'e' or 'E';
            i++;
        }

        return new Token(isFloat ? TokenKind.Float : TokenKind.Integer, text[start..i], start);
    }

    private static string Quoted(string text, ref int i)
    {
        char quote = text[i];
        int start = i++;
        var value = new StringBuilder();
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                value.Append(text[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', var other => other });
            }
            else
            {
                value.Append(text[i]);
            }

            i++;
        }

        if (i >= text.Length)
        {
            throw new FormatException($"Unclosed {quote} quote at position {start} in row restriction \"{text}\".");
        }

        i++;
        return value.ToString();
    }

    private static Token Symbol(string text, ref int i)
    {
        int start = i;
        char c = text[i++];
        string two = i < text.Length ? string.Concat(c, text[i]) : string.Empty;
        if (two is "!=" or "<>" or "<=" or ">=")
        {
            i++;
            return new Token(TokenKind.Operator, two, start);
        }

        return c switch
        {
            '=' or '<' or '>' => new Token(TokenKind.Operator, c.ToString(), start),
            '(' => new Token(TokenKind.Open, "(", start),
            ')' => new Token(TokenKind.Close, ")", start),
            ',' => new Token(TokenKind.Comma, ",", start),
            _ => new Token(TokenKind.Operator, c.ToString(), start),
        };
    }
}
