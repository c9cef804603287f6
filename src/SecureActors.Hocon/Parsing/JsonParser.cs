namespace SecureActors.Hocon.Parsing;

/*
 * Strict JSON, for .json documents and ConfigParseOptions.Syntax = Json (HOCON.md "Include semantics: file formats and
 * extensions"), following the JSON flavor of Lightbend's ConfigDocumentParser and ConfigParser:
 *  - the root is one object in braces; an array root is refused because a configuration is an object, and an empty
 *    document is refused because JSON has no empty text;
 *  - keys are single quoted strings and never path expressions, so "a.b" is one key named a.b;
 *  - ':' is the only separator; '=', '+=' and leaving it out before '{' are HOCON's;
 *  - elements are separated by exactly one comma, with none trailing; newlines are plain whitespace;
 *  - a value is one JSON value, never a concatenation of several;
 *  - a key may appear once per object ("JSON does not allow duplicate fields" in Lightbend, whose test lists count
 *    { "foo" : "bar", "foo" : "bar2" } as invalid JSON), where HOCON would merge or override.
 * The tokenizer, in its JSON mode, has already refused comments, unquoted text, substitutions, '+=' and triple quotes.
 * Numbers are whatever the shared number reader accepts (so 01 and 1. pass, as they do in Lightbend's JSON mode).
 */
internal sealed class JsonParser
{
    private readonly List<Token> _tokens;
    private readonly string _reason;
    private readonly int _includePrefixLength;
    private int _index;
    private int _depth;

    private JsonParser(List<Token> tokens, string reason, int includePrefixLength)
    {
        _tokens = tokens;
        _reason = reason;
        _includePrefixLength = includePrefixLength;
    }

    /// <summary>Parses one JSON document into its root object; <paramref name="reason"/> ends every error message.</summary>
    public static ObjectNode ParseDocument(string text, string source, string reason, HoconPath includePrefix)
    {
        var tokens = Tokenizer.Tokenize(text, source, reason);
        return new JsonParser(tokens, reason, includePrefix.Length).ParseRoot();
    }

    private Token Peek => _tokens[_index];

    private Token Take() => _tokens[_index++];

    private void SkipWhitespace()
    {
        while (Peek.Kind is TokenKind.Whitespace or TokenKind.Newline)
        {
            _index++;
        }
    }

    private HoconParseException Error(Token at, string message) => new($"{message} ({_reason})", at.Origin);

    private ObjectNode ParseRoot()
    {
        SkipWhitespace();
        var first = Peek;
        var root = first.Kind switch
        {
            TokenKind.OpenCurly => ParseObject(),
            TokenKind.OpenSquare => throw Error(first, "a configuration document must be an object, but this JSON document is an array"),
            TokenKind.End => throw Error(first, "empty document: JSON needs an object '{…}' at the root"),
            TokenKind.Quoted when NextAfter(_index).Kind == TokenKind.Colon =>
                throw Error(first, "JSON does not allow leaving out the braces around the root object"),
            _ => throw Error(first, $"a JSON configuration document must be an object in braces '{{…}}', found {first.Describe()}"),
        };

        SkipWhitespace();
        if (Peek.Kind != TokenKind.End)
        {
            throw Error(Peek, $"expected end of file after the root object, found {Peek.Describe()}");
        }

        return root;
    }

    private Token NextAfter(int index)
    {
        do
        {
            index++;
        }
        while (_tokens[index].Kind is TokenKind.Whitespace or TokenKind.Newline);

        return _tokens[index];
    }

    private void Enter(Token at)
    {
        // Counted with the include's path, since a JSON file included deep inside another document nests under it.
        if (++_depth + _includePrefixLength > Parser.MaxNesting)
        {
            throw Error(at, $"objects and arrays are nested more than {Parser.MaxNesting} deep (counting the include's path)");
        }
    }

    private ObjectNode ParseObject()
    {
        var open = Take();
        Enter(open);
        var node = new ObjectNode(open.Origin);
        var firstSeenAt = new Dictionary<string, ConfigOrigin>(StringComparer.Ordinal);
        SkipWhitespace();
        if (Peek.Kind == TokenKind.CloseCurly)
        {
            return Close(node);
        }

        while (true)
        {
            var keyToken = Peek;
            if (keyToken.Kind != TokenKind.Quoted)
            {
                throw Error(keyToken, keyToken.Kind switch
                {
                    TokenKind.End => $"expected '}}' to close the object opened at {open.Origin.ToStringWithColumn()}, found end of file",
                    TokenKind.Comma => "expected a quoted key, found ','; JSON puts exactly one comma between fields",
                    _ => $"JSON keys must be quoted strings, found {keyToken.Describe()}",
                });
            }

            _index++;
            var key = keyToken.Text;
            if (firstSeenAt.TryGetValue(key, out var earlier))
            {
                throw Error(keyToken, $"JSON does not allow duplicate keys: \"{key}\" was already set at {earlier.ToStringWithColumn()}");
            }

            firstSeenAt[key] = keyToken.Origin;
            SkipWhitespace();
            var separator = Peek;
            if (separator.Kind != TokenKind.Colon)
            {
                throw Error(separator, separator.Kind switch
                {
                    TokenKind.Equals => $"JSON requires ':' after the key \"{key}\"; '=' is HOCON only",
                    TokenKind.OpenCurly => $"JSON requires ':' after the key \"{key}\"; only HOCON lets it be left out before '{{'",
                    _ => $"expected ':' after the key \"{key}\", found {separator.Describe()}",
                });
            }

            _index++;
            SkipWhitespace();
            node.Add(key, ParseValue($"the key \"{key}\""));
            SkipWhitespace();
            var after = Peek;
            switch (after.Kind)
            {
                case TokenKind.CloseCurly:
                    return Close(node);
                case TokenKind.Comma:
                    _index++;
                    SkipWhitespace();
                    if (Peek.Kind == TokenKind.CloseCurly)
                    {
                        throw Error(after, "JSON does not allow a trailing comma before '}'");
                    }

                    continue;
                case TokenKind.End:
                    throw Error(after, $"expected '}}' to close the object opened at {open.Origin.ToStringWithColumn()}, found end of file");
                default:
                    throw Error(after, $"expected ',' or '}}' after the value of \"{key}\", found {after.Describe()}{NoConcatenationHint(after)}");
            }
        }
    }

    private ObjectNode Close(ObjectNode node)
    {
        _index++;
        _depth--;
        return node;
    }

    private ArrayNode ParseArray()
    {
        var open = Take();
        Enter(open);
        var elements = new List<Node>();
        SkipWhitespace();
        if (Peek.Kind == TokenKind.CloseSquare)
        {
            return Close(elements, open);
        }

        while (true)
        {
            if (Peek.Kind == TokenKind.Comma)
            {
                throw Error(Peek, "expected an array element, found ','; JSON puts exactly one comma between elements");
            }

            if (Peek.Kind == TokenKind.End)
            {
                throw Error(Peek, $"expected ']' to close the array opened at {open.Origin.ToStringWithColumn()}, found end of file");
            }

            elements.Add(ParseValue("an array element"));
            SkipWhitespace();
            var after = Peek;
            switch (after.Kind)
            {
                case TokenKind.CloseSquare:
                    return Close(elements, open);
                case TokenKind.Comma:
                    _index++;
                    SkipWhitespace();
                    if (Peek.Kind == TokenKind.CloseSquare)
                    {
                        throw Error(after, "JSON does not allow a trailing comma before ']'");
                    }

                    continue;
                case TokenKind.End:
                    throw Error(after, $"expected ']' to close the array opened at {open.Origin.ToStringWithColumn()}, found end of file");
                default:
                    throw Error(after, $"expected ',' or ']' after the array element, found {after.Describe()}{NoConcatenationHint(after)}");
            }
        }
    }

    private ArrayNode Close(List<Node> elements, Token open)
    {
        _index++;
        _depth--;
        return new ArrayNode(elements, open.Origin);
    }

    private static bool StartsValue(Token token) =>
        token.IsSimpleValue || token.Kind is TokenKind.OpenCurly or TokenKind.OpenSquare;

    // HOCON would join two values written side by side; say so, since that is what a HOCON author meant.
    private static string NoConcatenationHint(Token found) =>
        StartsValue(found) ? " (JSON does not join values written next to each other, as HOCON does; separate them with ',')" : "";

    private Node ParseValue(string of)
    {
        var token = Peek;
        switch (token.Kind)
        {
            case TokenKind.OpenCurly:
                return ParseObject();
            case TokenKind.OpenSquare:
                return ParseArray();
            case TokenKind.Quoted or TokenKind.Number or TokenKind.True or TokenKind.False or TokenKind.Null:
                _index++;
                return new ValueNode(Parser.Literal(token));
            default:
                throw Error(token, $"expected a JSON value (string, number, object, array, true, false or null) for {of}, found {token.Describe()}");
        }
    }
}
