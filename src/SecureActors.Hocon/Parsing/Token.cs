namespace SecureActors.Hocon.Parsing;

internal enum TokenKind
{
    Comma,
    Colon,
    Equals,
    PlusEquals,
    OpenCurly,
    CloseCurly,
    OpenSquare,
    CloseSquare,
    Newline,
    Whitespace,
    Unquoted,
    Quoted,
    Number,
    True,
    False,
    Null,
    Substitution,
    End,
}

/// <summary>
/// One lexical token. <see cref="Text"/> is the decoded value for quoted strings and the raw characters otherwise;
/// a substitution carries the tokens of its path expression.
/// </summary>
internal sealed record Token(TokenKind Kind, string Text, ConfigOrigin Origin)
{
    public bool IsOptional { get; init; }

    public IReadOnlyList<Token> PathTokens { get; init; } = [];

    public HoconNumber? Number { get; init; }

    /// <summary>Tokens that can take part in a string concatenation or a path expression.</summary>
    public bool IsSimpleValue => Kind is TokenKind.Unquoted or TokenKind.Quoted or TokenKind.Number
        or TokenKind.True or TokenKind.False or TokenKind.Null;

    public string Describe() => Kind switch
    {
        TokenKind.End => "end of file",
        TokenKind.Newline => "newline",
        TokenKind.Whitespace => "whitespace",
        TokenKind.Quoted => $"quoted string \"{Text}\"",
        TokenKind.Substitution => "substitution ${" + (IsOptional ? "?" : "") + "…}",
        TokenKind.PlusEquals => "'+='",
        _ => $"'{Text}'",
    };
}
