using System.Text;

namespace SecureActors.Hocon.Parsing;

/*
 * Splits HOCON text into tokens (HOCON.md "Syntax"). The rules that need care:
 *  - whitespace is kept as tokens, because whitespace between simple values is part of a concatenated string;
 *    "newline" means only '\n' and is its own token, since it separates fields and array elements;
 *  - `#` and `//` start comments, except inside quoted strings; a lone `/` is ordinary unquoted text;
 *  - a token that starts with `-` or a digit is read as a number if its number-ish characters parse as one, else as
 *    unquoted text (so `1.2.3` is text and `10.0bar` is the number 10.0 followed by the text `bar`);
 *  - `true`, `false` and `null` are recognised only at the start of unquoted text (`truefoo` is `true` + `foo`);
 *  - triple-quoted strings end at the first run of three or more quotes; extra quotes belong to the string.
 * For a JSON document (a non-null jsonReason) the same reader refuses, where it meets them, the characters that only
 * HOCON gives meaning to: comments, unquoted text, `${`, `+=`, triple quotes, and number-like text that is no number.
 * Lightbend's tokenizer lets most of these through and its parser rejects them; refusing here points at the column.
 */
internal sealed class Tokenizer
{
    private const string ForbiddenInUnquoted = "$\"{}[]:=,+#`^?!@*&\\";
    private const string NumberCharacters = "0123456789eE+-.";

    private readonly string _text;
    private readonly string _source;
    private readonly string? _jsonReason;
    private int _position;
    private int _line = 1;
    private int _lineStart;

    private Tokenizer(string text, string source, string? jsonReason)
    {
        _text = text;
        _source = source;
        _jsonReason = jsonReason;
    }

    /// <summary>Splits <paramref name="text"/>; a <paramref name="jsonReason"/> holds it to JSON and is quoted in every error.</summary>
    public static List<Token> Tokenize(string text, string source, string? jsonReason = null)
    {
        var tokenizer = new Tokenizer(text, source, jsonReason);
        var tokens = new List<Token>();
        while (true)
        {
            var token = tokenizer.Next();
            tokens.Add(token);
            if (token.Kind == TokenKind.End)
            {
                return tokens;
            }
        }
    }

    /// <summary>
    /// HOCON.md "Whitespace": Unicode space, line and paragraph separators, the BOM, and tab, newline, vertical tab,
    /// form feed, carriage return and the file/group/record/unit separators (U+001C–U+001F, which .NET's
    /// char.IsWhiteSpace leaves out). U+0085, which .NET counts, is not in the list, so it stays text as in Lightbend.
    /// </summary>
    internal static bool IsWhitespace(char c) => c switch
    {
        '\uFEFF' or (>= '\u0009' and <= '\u000D') or (>= '\u001C' and <= '\u001F') => true,
        '\u0085' => false,
        _ => char.IsWhiteSpace(c),
    };

    private ConfigOrigin Here => new(_source, _line, _position - _lineStart + 1);

    private char Peek(int ahead = 0) => _position + ahead < _text.Length ? _text[_position + ahead] : '\0';

    private bool AtEnd => _position >= _text.Length;

    private bool IsJson => _jsonReason is not null;

    private HoconParseException Error(string message, ConfigOrigin? origin = null) =>
        new(IsJson ? $"{message} ({_jsonReason})" : message, origin ?? Here);

    private Token Next()
    {
        if (IsJson)
        {
            RejectCommentInJson();
        }
        else
        {
            SkipComment();
        }

        var origin = Here;
        if (AtEnd)
        {
            return new Token(TokenKind.End, "", origin);
        }

        var c = _text[_position];
        switch (c)
        {
            case '\n':
                _position++;
                _line++;
                _lineStart = _position;
                return new Token(TokenKind.Newline, "\n", origin);
            case ',': _position++; return new Token(TokenKind.Comma, ",", origin);
            case ':': _position++; return new Token(TokenKind.Colon, ":", origin);
            case '=': _position++; return new Token(TokenKind.Equals, "=", origin);
            case '{': _position++; return new Token(TokenKind.OpenCurly, "{", origin);
            case '}': _position++; return new Token(TokenKind.CloseCurly, "}", origin);
            case '[': _position++; return new Token(TokenKind.OpenSquare, "[", origin);
            case ']': _position++; return new Token(TokenKind.CloseSquare, "]", origin);
            case '+' when IsJson:
                throw Error(Peek(1) == '=' ? "JSON does not allow '+='; write the whole value with ':'" : "JSON does not allow '+' outside quotes (a JSON number has no leading '+')");
            case '$' when IsJson:
                throw Error(Peek(1) == '{' ? "JSON does not allow substitutions '${…}'" : "JSON does not allow '$' outside quotes");
            case '+':
                if (Peek(1) != '=')
                {
                    throw Error("'+' is only allowed as part of '+=' outside quotes; quote the string if you meant a literal '+'");
                }

                _position += 2;
                return new Token(TokenKind.PlusEquals, "+=", origin);
            case '$':
                return ReadSubstitution(origin);
            case '"':
                return ReadQuoted(origin);
        }

        if (IsWhitespace(c))
        {
            var start = _position;
            while (!AtEnd && _text[_position] != '\n' && IsWhitespace(_text[_position]))
            {
                _position++;
            }

            return new Token(TokenKind.Whitespace, _text[start.._position], origin);
        }

        return ReadSimple(origin);
    }

    /// <summary>Reads a number, boolean, null or unquoted string: the tokens allowed in path expressions too.</summary>
    private Token ReadSimple(ConfigOrigin origin)
    {
        var c = _text[_position];
        if (c == '-' || char.IsAsciiDigit(c))
        {
            var start = _position;
            while (!AtEnd && NumberCharacters.Contains(_text[_position], StringComparison.Ordinal))
            {
                _position++;
            }

            var text = _text[start.._position];
            if (HoconNumber.TryParse(text, origin, out var number))
            {
                return new Token(TokenKind.Number, text, origin) { Number = number };
            }

            if (IsJson)
            {
                // HOCON keeps an unrepresentable 1e400 as text; JSON has no text without quotes, so say why it is refused.
                throw Error(
                    double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var tooLarge) && double.IsInfinity(tooLarge)
                        ? $"'{text}' is a JSON number too large for a double (beyond ±1.8e308)"
                        : $"'{text}' is not a valid JSON number",
                    origin);
            }

            if (text.Contains('+', StringComparison.Ordinal))
            {
                throw Error($"'{text}' is not a valid number, and '+' is not allowed in unquoted text", origin);
            }

            // Not a number after all: the characters read are all legal in unquoted text, so continue as text.
            _position = start;
            return ReadUnquoted(origin, recogniseKeywords: false);
        }

        if (ForbiddenInUnquoted.Contains(c, StringComparison.Ordinal))
        {
            throw Error($"reserved character '{c}' is not allowed outside quotes; put the text in double quotes");
        }

        return ReadUnquoted(origin, recogniseKeywords: true);
    }

    private Token ReadUnquoted(ConfigOrigin origin, bool recogniseKeywords)
    {
        var start = _position;
        while (!AtEnd)
        {
            var c = _text[_position];
            if (ForbiddenInUnquoted.Contains(c, StringComparison.Ordinal) || IsWhitespace(c) || (c == '/' && Peek(1) == '/'))
            {
                break;
            }

            _position++;
            if (recogniseKeywords)
            {
                var length = _position - start;
                if (length == 4 && string.CompareOrdinal(_text, start, "true", 0, 4) == 0)
                {
                    return new Token(TokenKind.True, "true", origin);
                }

                if (length == 4 && string.CompareOrdinal(_text, start, "null", 0, 4) == 0)
                {
                    return new Token(TokenKind.Null, "null", origin);
                }

                if (length == 5 && string.CompareOrdinal(_text, start, "false", 0, 5) == 0)
                {
                    return new Token(TokenKind.False, "false", origin);
                }
            }
        }

        var unquoted = _text[start.._position];
        if (IsJson)
        {
            throw Error(unquoted == "include"
                ? "JSON does not allow include statements"
                : $"JSON does not allow unquoted text '{unquoted}'; put strings in double quotes (the only bare words are true, false and null)", origin);
        }

        return new Token(TokenKind.Unquoted, unquoted, origin);
    }

    private void RejectCommentInJson()
    {
        if (!AtEnd && (_text[_position] == '#' || (_text[_position] == '/' && Peek(1) == '/')))
        {
            throw Error("JSON does not allow comments");
        }
    }

    private void SkipComment()
    {
        if (AtEnd)
        {
            return;
        }

        var c = _text[_position];
        if (c == '#' || (c == '/' && Peek(1) == '/'))
        {
            while (!AtEnd && _text[_position] != '\n')
            {
                _position++;
            }
        }
    }

    private Token ReadQuoted(ConfigOrigin origin)
    {
        if (Peek(1) == '"' && Peek(2) == '"')
        {
            // Lightbend's tokenizer reads triple quotes even in JSON, but three quotes outside a string are never
            // valid JSON (an empty string run into the next one), so refusing them turns away no real JSON document.
            return IsJson ? throw Error("JSON does not allow triple-quoted strings \"\"\"…\"\"\"") : ReadTripleQuoted(origin);
        }

        _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Error("unterminated quoted string: end of file before the closing '\"'", origin);
            }

            var c = _text[_position];
            if (c == '"')
            {
                _position++;
                return new Token(TokenKind.Quoted, value.ToString(), origin);
            }

            if (c == '\n')
            {
                throw Error(IsJson
                    ? "unterminated quoted string: a newline is not allowed inside quotes (use \\n)"
                    : "unterminated quoted string: a newline is not allowed inside quotes (use \\n, or a \"\"\"triple-quoted\"\"\" string)");
            }

            if (c < ' ')
            {
                throw Error($"control character U+{(int)c:X4} must be escaped inside a quoted string");
            }

            if (c == '\\')
            {
                value.Append(ReadEscape());
                continue;
            }

            value.Append(c);
            _position++;
        }
    }

    private string ReadEscape()
    {
        var origin = Here;
        _position++;
        if (AtEnd)
        {
            throw Error("end of file after '\\' inside a quoted string", origin);
        }

        var c = _text[_position++];
        switch (c)
        {
            case '"': return "\"";
            case '\\': return "\\";
            case '/': return "/";
            case 'b': return "\b";
            case 'f': return "\f";
            case 'n': return "\n";
            case 'r': return "\r";
            case 't': return "\t";
            case 'u':
                if (_position + 4 > _text.Length
                    || !int.TryParse(_text.AsSpan(_position, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var code))
                {
                    throw Error("'\\u' must be followed by exactly four hexadecimal digits", origin);
                }

                _position += 4;
                return ((char)code).ToString();
            default:
                throw Error($"'\\{c}' is not a valid escape; the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX", origin);
        }
    }

    private Token ReadTripleQuoted(ConfigOrigin origin)
    {
        _position += 3;
        var start = _position;
        while (true)
        {
            if (AtEnd)
            {
                throw Error("unterminated triple-quoted string: end of file before the closing '\"\"\"'", origin);
            }

            var c = _text[_position];
            if (c == '"' && Peek(1) == '"' && Peek(2) == '"')
            {
                var quotes = 3;
                while (Peek(quotes) == '"')
                {
                    quotes++;
                }

                // Any quotes beyond the closing three belong to the string, as in Scala.
                var value = _text[start.._position] + new string('"', quotes - 3);
                _position += quotes;
                return new Token(TokenKind.Quoted, value, origin);
            }

            if (c == '\n')
            {
                _line++;
                _lineStart = _position + 1;
            }

            _position++;
        }
    }

    private Token ReadSubstitution(ConfigOrigin origin)
    {
        if (Peek(1) != '{')
        {
            throw Error("'$' must start a substitution '${path}'; quote the string if you meant a literal '$'");
        }

        _position += 2;
        var optional = false;
        if (Peek() == '?')
        {
            optional = true;
            _position++;
        }

        var path = new List<Token>();
        while (true)
        {
            SkipComment();
            if (AtEnd)
            {
                throw Error("unterminated substitution: end of file before the closing '}'", origin);
            }

            var c = _text[_position];
            if (c == '}')
            {
                _position++;
                break;
            }

            var here = Here;
            if (c == '\n')
            {
                throw Error("unterminated substitution: a newline is not allowed inside '${…}'", here);
            }

            if (c == '"')
            {
                path.Add(ReadQuoted(here));
            }
            else if (IsWhitespace(c))
            {
                var start = _position;
                while (!AtEnd && _text[_position] != '\n' && IsWhitespace(_text[_position]))
                {
                    _position++;
                }

                path.Add(new Token(TokenKind.Whitespace, _text[start.._position], here));
            }
            else if (ForbiddenInUnquoted.Contains(c, StringComparison.Ordinal))
            {
                throw Error($"'{c}' is not allowed in a substitution's path expression", here);
            }
            else
            {
                path.Add(ReadSimple(here));
            }
        }

        return new Token(TokenKind.Substitution, "${…}", origin) { IsOptional = optional, PathTokens = path };
    }
}
