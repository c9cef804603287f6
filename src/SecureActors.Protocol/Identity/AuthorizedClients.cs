using System.Net;

namespace SecureActors.Protocol.Identity;

/// <summary>
/// The server's <c>authorized_clients</c> file, one client key per line:
/// <code>[from="cidr[,cidr…]"] sap-rsa &lt;base64 SPKI DER&gt; &lt;display name…&gt;</code>
/// The display name comes from this file, never from the client. Parse errors name file:line.
/// </summary>
public sealed class AuthorizedClients : IClientAuthorizer
{
    private readonly List<Entry> _entries;

    private AuthorizedClients(List<Entry> entries)
    {
        _entries = entries;
    }

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Loads and validates the file (a missing file authorises nobody).</summary>
    public static AuthorizedClients Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return File.Exists(path) ? Parse(File.ReadAllLines(path), path) : new AuthorizedClients([]);
    }

    /// <summary>Parses lines (the name is used in error messages).</summary>
    public static AuthorizedClients Parse(IEnumerable<string> lines, string path)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var entries = new List<Entry>();
        var lineNumber = 0;
        foreach (var line in lines)
        {
            lineNumber++;
            if (TrustFileLine.IsBlankOrComment(line))
            {
                continue;
            }

            var rest = line.Trim();
            List<CidrRange>? from = null;
            if (rest.StartsWith("from=", StringComparison.Ordinal))
            {
                if (rest.Length < 6 || rest[5] != '"')
                {
                    throw TrustFileLine.Error(path, lineNumber, "from= must be followed by a quoted list");
                }

                var close = rest.IndexOf('"', 6);
                if (close < 0)
                {
                    throw TrustFileLine.Error(path, lineNumber, "unterminated from=\"…\"");
                }

                from = [];
                foreach (var part in rest[6..close].Split(',', StringSplitOptions.TrimEntries))
                {
                    from.Add(CidrRange.TryParse(part) ?? throw TrustFileLine.Error(path, lineNumber, $"'{part}' is not an address or CIDR range"));
                }

                rest = rest[(close + 1)..].TrimStart();
            }

            var tokens = TrustFileLine.Tokens(rest);
            if (tokens.Length < 3)
            {
                throw TrustFileLine.Error(path, lineNumber, "expected `[from=\"cidr\"] sap-rsa <base64 key> <display name>`");
            }

            var spki = TrustFileLine.ParseKey(tokens[0], tokens[1], path, lineNumber);
            entries.Add(new Entry(Fingerprint.Of(spki), string.Join(' ', tokens.Skip(2)), from));
        }

        return new AuthorizedClients(entries);
    }

    /// <inheritdoc />
    public string? Authorize(PeerIdentity clientKey, IPAddress? remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(clientKey);
        foreach (var entry in _entries)
        {
            if (!Fingerprint.AreEqual(entry.Fingerprint, clientKey.Fingerprint))
            {
                continue;
            }

            if (entry.From is null || (remoteAddress is not null && entry.From.Any(r => r.Contains(remoteAddress))))
            {
                return entry.DisplayName;
            }
        }

        return null;
    }

    private sealed record Entry(string Fingerprint, string DisplayName, List<CidrRange>? From);
}
