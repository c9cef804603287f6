namespace SecureActors.Protocol.Tests.TestSupport;

/// <summary>
/// Reads the known-answer blocks of docs/PROTOCOL.md: the <c>```text</c> block that follows a
/// <c>&lt;!-- kat:Name --&gt;</c> marker, one entry per non-empty line. Tests compare these lines
/// with what the code computes, so the published vectors cannot drift from the implementation.
/// </summary>
internal static class ProtocolDoc
{
    public static List<string> KnownAnswerBlock(string name)
    {
        var doc = File.ReadAllText(RepoFiles.FindUp(Path.Combine("docs", "PROTOCOL.md")) ?? throw new FileNotFoundException("docs/PROTOCOL.md"));
        var marker = $"<!-- kat:{name} -->";
        var start = doc.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"PROTOCOL.md has no {marker}");
        var open = doc.IndexOf("```text\n", start, StringComparison.Ordinal) + 8;
        var close = doc.IndexOf("```", open, StringComparison.Ordinal);
        return doc[open..close].Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>
    /// The <c>name = value</c> lines of a known-answer block; a value too long for one line follows
    /// <c>name =</c> on indented lines, which are joined.
    /// </summary>
    public static Dictionary<string, string> KnownAnswerFields(string name)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in KnownAnswerBlock(name))
        {
            if (line.StartsWith("  ", StringComparison.Ordinal) && current is not null)
            {
                fields[current] += line.Trim();
                continue;
            }

            var equals = line.IndexOf(" =", StringComparison.Ordinal);
            Assert.True(equals > 0, $"kat:{name} line is not 'name = value': {line}");
            current = line[..equals];
            Assert.True(fields.TryAdd(current, line[(equals + 2)..].Trim()), $"kat:{name} names {current} twice");
        }

        return fields;
    }
}
