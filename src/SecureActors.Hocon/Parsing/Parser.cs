using System.Text;

namespace SecureActors.Hocon.Parsing;

/*
 * Recursive-descent parser from tokens to the layered tree in Nodes.cs (HOCON.md "Syntax").
 *  - The root braces are optional; a root array is refused because a configuration is an object.
 *  - Fields and array elements are separated by a comma or by at least one newline; one trailing comma is allowed,
 *    a leading or doubled comma is not.
 *  - `a.b.c = v` becomes `a { b { c = v } }`; `key { … }` needs no separator; `a += v` becomes `a = ${?a} [v]`.
 *  - A value is a concatenation of everything up to the next newline, comma or closing bracket.
 *  - `include` at the start of a key pulls another document's fields in at that point.
 * Nesting is capped so hostile input gets a located error instead of exhausting the stack.
 */
internal sealed class Parser
{
    internal const int MaxNesting = 256;

    private readonly List<Token> _tokens;
    private readonly IncludeContext _includes;
    private readonly HoconPath _includePrefix;
    private int _index;
    private int _depth;

    // How many arrays (or `+=` values, which become arrays) enclose the current position; see ParseField.
    private int _arrayDepth;

    private Parser(List<Token> tokens, IncludeContext includes, HoconPath includePrefix)
    {
        _tokens = tokens;
        _includes = includes;
        _includePrefix = includePrefix;
    }

    /// <summary>Parses one document into its root object.</summary>
    public static ObjectNode ParseDocument(string text, IncludeContext includes, HoconPath includePrefix)
    {
        var tokens = Tokenizer.Tokenize(text, includes.SourceDescription);
        return new Parser(tokens, includes, includePrefix).ParseRoot();
    }

    private Token Peek => _tokens[_index];

    private Token Take() => _tokens[_index++];

    private void SkipWhitespace()
    {
        while (Peek.Kind == TokenKind.Whitespace)
        {
            _index++;
        }
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (Peek.Kind is TokenKind.Whitespace or TokenKind.Newline)
        {
            _index++;
        }
    }

    private static HoconParseException Error(Token at, string message) => new(message, at.Origin);

    private ObjectNode ParseRoot()
    {
        SkipWhitespaceAndNewlines();
        ObjectNode root;
        if (Peek.Kind == TokenKind.OpenSquare)
        {
            throw Error(Peek, "a configuration document must be an object, but this one starts with '[' (an array)");
        }

        if (Peek.Kind == TokenKind.OpenCurly)
        {
            root = ParseObject(HoconPath.Root);
        }
        else
        {
            root = ParseFields(HoconPath.Root, braced: false, Peek.Origin);
        }

        SkipWhitespaceAndNewlines();
        if (Peek.Kind != TokenKind.End)
        {
            throw Error(Peek, $"expected end of file after the root object, found {Peek.Describe()}");
        }

        return root;
    }

    private ObjectNode ParseObject(HoconPath path)
    {
        var open = Take();
        Enter(open);
        var node = ParseFields(path, braced: true, open.Origin);
        _depth--;
        return node;
    }

    private void Enter(Token at)
    {
        if (++_depth > MaxNesting)
        {
            throw Error(at, $"objects and arrays are nested more than {MaxNesting} deep");
        }
    }

    private ObjectNode ParseFields(HoconPath path, bool braced, ConfigOrigin origin)
    {
        var node = new ObjectNode(origin);
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek;
            if (token.Kind == TokenKind.CloseCurly)
            {
                if (!braced)
                {
                    throw Error(token, "unbalanced '}': the document has no matching '{'");
                }

                _index++;
                return node;
            }

            if (token.Kind == TokenKind.End)
            {
                if (braced)
                {
                    throw Error(token, $"expected '}}' to close the object opened at {origin.ToStringWithColumn()}, found end of file");
                }

                return node;
            }

            if (token.Kind == TokenKind.Comma)
            {
                throw Error(token, "expected a field, found ','; commas only go between fields, and at most one may trail");
            }

            if (IsIncludeStatement(token))
            {
                ParseInclude(node, path);
            }
            else
            {
                ParseField(node, path);
            }

            SkipSeparator(TokenKind.CloseCurly, "after the field");
        }
    }

    /// <summary>
    /// Consumes what separates two fields or array elements: at least one newline, or one comma that newlines may
    /// surround (JSON allows whitespace on either side of a comma, and newlines are whitespace there too).
    /// </summary>
    private void SkipSeparator(TokenKind closing, string where)
    {
        var sawNewline = false;
        while (Peek.Kind is TokenKind.Whitespace or TokenKind.Newline)
        {
            sawNewline |= Take().Kind == TokenKind.Newline;
        }

        var after = Peek;
        if (after.Kind == TokenKind.Comma)
        {
            _index++;
            SkipWhitespaceAndNewlines();
            if (Peek.Kind == TokenKind.Comma)
            {
                throw Error(Peek, "two commas in a row; remove one");
            }

            return;
        }

        if (!sawNewline && after.Kind != closing && after.Kind != TokenKind.End)
        {
            var closer = closing == TokenKind.CloseCurly ? "'}'" : "']'";
            throw Error(after, $"expected ',' or a newline or {closer} {where}, found {after.Describe()}");
        }
    }

    private bool IsIncludeStatement(Token token)
    {
        if (token.Kind != TokenKind.Unquoted || token.Text != "include")
        {
            return false;
        }

        // `include` followed by a separator is a (forbidden) key, not a statement; report it as such below.
        var next = _index + 1;
        while (_tokens[next].Kind is TokenKind.Whitespace or TokenKind.Newline)
        {
            next++;
        }

        if (_tokens[next].Kind is not (TokenKind.Quoted or TokenKind.Unquoted))
        {
            throw Error(_tokens[next], "'include' at the start of a key must be followed by a quoted file name, or file(\"…\"), url(\"…\"), classpath(\"…\"), required(\"…\"); quote \"include\" to use it as a key");
        }

        return true;
    }

    private void ParseField(ObjectNode target, HoconPath parentPath)
    {
        var keyStart = Peek;
        var keyTokens = new List<Token>();
        while (Peek.IsSimpleValue || Peek.Kind == TokenKind.Whitespace)
        {
            keyTokens.Add(Take());
        }

        if (Peek.Kind == TokenKind.Substitution)
        {
            throw Error(Peek, "substitutions are not allowed in keys");
        }

        if (keyTokens.Count == 0)
        {
            throw Error(keyStart, $"expected a key, found {keyStart.Describe()}");
        }

        var key = HoconPath.FromTokens(keyTokens, keyStart.Origin);
        var fieldPath = parentPath.Append(key);

        // Dotted keys nest as deeply as braces do, and everything downstream of the parser recurses on nesting.
        if (_depth + key.Length + _includePrefix.Length > MaxNesting)
        {
            throw Error(keyStart, $"objects are nested more than {MaxNesting} deep (counting the elements of dotted keys and of the include's path)");
        }

        // As in JSON, newlines may come between a key and its separator (but not inside an unquoted key).
        SkipWhitespaceAndNewlines();
        var separator = Peek;
        Node value;
        switch (separator.Kind)
        {
            case TokenKind.Colon:
            case TokenKind.Equals:
                _index++;
                value = ParseValue(fieldPath, separator);
                break;
            case TokenKind.PlusEquals:
                // `a += v` means `a = ${?a} [v]`, and the self-reference needs a path from the root. A field inside
                // an array element has none, so Lightbend refuses this too; resolving it anyway would append to the
                // wrong value, which is worse than a clear error.
                if (_arrayDepth > 0)
                {
                    throw Error(separator, $"'+=' cannot be used for '{key}' because it is inside an array element (its previous value cannot be looked up by path); write the whole array with '=' instead");
                }

                _index++;
                _arrayDepth++;
                var element = ParseValue(fieldPath, separator);
                _arrayDepth--;
                value = new ConcatenationNode(
                    [new SubstitutionNode(fieldPath, optional: true, _includePrefix, separator.Origin), new ArrayNode([element], element.Origin)],
                    separator.Origin);
                break;
            case TokenKind.OpenCurly:
                value = ParseValue(fieldPath, separator);
                break;
            default:
                throw Error(separator, $"expected ':', '=', '+=' or '{{' after the key '{key}', found {separator.Describe()}");
        }

        for (var i = key.Length - 1; i > 0; i--)
        {
            var wrapper = new ObjectNode(keyStart.Origin);
            wrapper.Add(key.Segments[i], value);
            value = wrapper;
        }

        target.Add(key.First, value);
    }

    private Node ParseValue(HoconPath path, Token after)
    {
        // JSON allows whitespace, including newlines, between the separator and the value.
        SkipWhitespaceAndNewlines();
        var pieces = new List<Node>();
        Token? pendingWhitespace = null;
        while (true)
        {
            var token = Peek;
            Node? piece = token.Kind switch
            {
                TokenKind.Whitespace => null,
                TokenKind.Substitution => new SubstitutionNode(HoconPath.FromTokens(token.PathTokens, token.Origin), token.IsOptional, _includePrefix, token.Origin),
                TokenKind.OpenCurly => ParseObject(path),
                TokenKind.OpenSquare => ParseArray(path),
                _ when token.IsSimpleValue => new ValueNode(Literal(token)),
                _ => null,
            };

            if (token.Kind == TokenKind.Whitespace)
            {
                pendingWhitespace = Take();
                continue;
            }

            if (piece is null)
            {
                break;
            }

            if (token.Kind is not (TokenKind.OpenCurly or TokenKind.OpenSquare))
            {
                _index++;
            }

            if (pendingWhitespace is not null && pieces.Count > 0)
            {
                pieces.Add(new WhitespaceNode(pendingWhitespace.Text, pendingWhitespace.Origin));
            }

            pendingWhitespace = null;
            pieces.Add(piece);
        }

        if (pieces.Count == 0)
        {
            throw Error(Peek, $"expected a value after {after.Describe()}, found {Peek.Describe()}");
        }

        if (pieces.Count == 1)
        {
            return pieces[0];
        }

        if (pieces.TrueForAll(piece => piece is WhitespaceNode || (piece is ValueNode { Value.ConcatenationText: not null })))
        {
            var text = new StringBuilder();
            foreach (var piece in pieces)
            {
                text.Append(piece is WhitespaceNode space ? space.Text : ((ValueNode)piece).Value.ConcatenationText);
            }

            return new ValueNode(new HoconString(text.ToString(), pieces[0].Origin));
        }

        return new ConcatenationNode(pieces, pieces[0].Origin);
    }

    internal static HoconValue Literal(Token token) => token.Kind switch
    {
        TokenKind.Number => token.Number!,
        TokenKind.True => new HoconBoolean(true, token.Origin),
        TokenKind.False => new HoconBoolean(false, token.Origin),
        TokenKind.Null => new HoconNull(token.Origin),
        _ => new HoconString(token.Text, token.Origin),
    };

    private ArrayNode ParseArray(HoconPath path)
    {
        var open = Take();
        Enter(open);
        _arrayDepth++;
        var elements = new List<Node>();
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek;
            if (token.Kind == TokenKind.CloseSquare)
            {
                _index++;
                _depth--;
                _arrayDepth--;
                return new ArrayNode(elements, open.Origin);
            }

            if (token.Kind == TokenKind.End)
            {
                throw Error(token, $"expected ']' to close the array opened at {open.Origin.ToStringWithColumn()}, found end of file");
            }

            if (token.Kind == TokenKind.Comma)
            {
                throw Error(token, "expected an array element, found ','; commas only go between elements, and at most one may trail");
            }

            elements.Add(ParseValue(path, token));
            SkipSeparator(TokenKind.CloseSquare, "after the array element");
        }
    }

    /// <summary>
    /// Reads <c>include "name"</c>, <c>include file("…")</c>, <c>url("…")</c>, <c>classpath("…")</c>, optionally
    /// wrapped in <c>required(…)</c>. The tokenizer reads <c>required(file(</c> as unquoted text (parentheses are
    /// legal there), so the wrappers are recognised from that text.
    /// </summary>
    private void ParseInclude(ObjectNode target, HoconPath path)
    {
        var include = Take();
        SkipWhitespaceAndNewlines();
        var wrappers = new StringBuilder();

        // Inside the parentheses newlines are whitespace too (the statement only ends after the last ')').
        while (Peek.Kind is TokenKind.Unquoted or TokenKind.Whitespace or TokenKind.Newline)
        {
            var token = Take();
            if (token.Kind == TokenKind.Unquoted)
            {
                // `file (…)` is not `file(…)`: the name and its parenthesis are one word, as in Lightbend, so a
                // stray space cannot turn an unknown word into a wrapper by joining it with the next one.
                if (!token.Text.EndsWith('('))
                {
                    throw Error(token, $"'{token.Text}' after 'include' must be file(, url(, classpath( or required( with no space before the '('");
                }

                wrappers.Append(token.Text);
            }
        }

        if (Peek.Kind != TokenKind.Quoted)
        {
            throw Error(Peek, $"expected a quoted file name after 'include', found {Peek.Describe()}");
        }

        var nameToken = Take();
        var opening = wrappers.ToString();
        var required = false;
        if (opening.StartsWith("required(", StringComparison.Ordinal))
        {
            required = true;
            opening = opening["required(".Length..];
        }

        var kind = opening switch
        {
            "" => IncludeKind.Heuristic,
            "file(" => IncludeKind.File,
            "url(" => IncludeKind.Url,
            "classpath(" => IncludeKind.Classpath,
            _ => throw Error(include, $"unknown include form '{wrappers}'; use \"name\", file(\"…\"), url(\"…\"), classpath(\"…\") or required(…)"),
        };

        var expectedClosing = (required ? 1 : 0) + (kind == IncludeKind.Heuristic ? 0 : 1);
        var closing = new StringBuilder();
        while (closing.Length < expectedClosing && Peek.Kind is TokenKind.Unquoted or TokenKind.Whitespace or TokenKind.Newline)
        {
            var token = Take();
            if (token.Kind == TokenKind.Unquoted)
            {
                closing.Append(token.Text);
            }
        }

        if (closing.ToString() != new string(')', expectedClosing))
        {
            throw Error(Peek, $"expected {expectedClosing} closing ')' after the include's file name, found '{closing}'");
        }

        var included = _includes.Include(new IncludeRequest(kind, nameToken.Text, required, nameToken.Origin), _includePrefix.Append(path));
        if (included is not null)
        {
            target.AddAll(included);
        }
    }
}
