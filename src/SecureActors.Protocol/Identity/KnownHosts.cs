using System.Globalization;

namespace SecureActors.Protocol.Identity;

/// <summary>
/// The client's <c>known_hosts</c> file, one pinned server key per line:
/// <code>host:port sap-rsa &lt;base64 SPKI DER&gt;</code>
/// Blank lines and <c>#</c> comments are ignored. A mismatch always aborts, showing both fingerprints;
/// there is no "continue anyway".
/// </summary>
public sealed class KnownHosts
{
    private readonly Lock _gate = new();
    private readonly List<(string Endpoint, byte[] Spki, int Line)> _entries = [];

    private KnownHosts(string path)
    {
        Path = path;
    }

    /// <summary>The file backing this store.</summary>
    public string Path { get; }

    /// <summary>Loads the file (a missing file is an empty store).</summary>
    public static KnownHosts Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var store = new KnownHosts(path);
        if (!File.Exists(path))
        {
            return store;
        }

        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (TrustFileLine.IsBlankOrComment(line))
            {
                continue;
            }

            var tokens = TrustFileLine.Tokens(line);
            if (tokens.Length != 3)
            {
                throw TrustFileLine.Error(path, lineNumber, "expected `host:port sap-rsa <base64 key>`");
            }

            if (!IsEndpoint(tokens[0]))
            {
                throw TrustFileLine.Error(path, lineNumber, $"'{tokens[0]}' is not host:port");
            }

            store._entries.Add((tokens[0], TrustFileLine.ParseKey(tokens[1], tokens[2], path, lineNumber), lineNumber));
        }

        return store;
    }

    /// <summary>The pinned key for an endpoint, if any.</summary>
    public PeerIdentity? Find(string host, int port)
    {
        var endpoint = Endpoint(host, port);
        lock (_gate)
        {
            var entry = _entries.FirstOrDefault(e => string.Equals(e.Endpoint, endpoint, StringComparison.OrdinalIgnoreCase));
            return entry.Spki is null ? null : new PeerIdentity(entry.Spki);
        }
    }

    /// <summary>Appends a pin to the file and the store.</summary>
    public void Add(string host, int port, ReadOnlyMemory<byte> spki)
    {
        var endpoint = Endpoint(host, port);
        lock (_gate)
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            File.AppendAllText(Path, $"{endpoint} {TrustFileLine.KeyType} {Convert.ToBase64String(spki.Span)}\n");
            _entries.Add((endpoint, spki.ToArray(), _entries.Count + 1));
        }
    }

    /// <summary>A trust policy for one server endpoint.</summary>
    public IServerTrust For(string host, int port, HostKeyCheckMode mode) => new KnownHostsTrust(this, host, port, mode);

    internal static string Endpoint(string host, int port) => $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";

    private static bool IsEndpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535;
    }

    private sealed class KnownHostsTrust(KnownHosts store, string host, int port, HostKeyCheckMode mode) : IServerTrust
    {
        public TrustDecision Evaluate(PeerIdentity serverKey)
        {
            var endpoint = Endpoint(host, port);
            var known = store.Find(host, port);
            if (known is not null)
            {
                return Identity.Fingerprint.AreEqual(known.Fingerprint, serverKey.Fingerprint)
                    ? TrustDecision.Accept($"server key for {endpoint} matches {store.Path}")
                    : TrustDecision.Reject(
                        $"SERVER KEY MISMATCH for {endpoint}: {store.Path} has {known.Fingerprint}, the server presented {serverKey.Fingerprint}. "
                        + "This may be an attack. If the key was changed on purpose, remove the old line from the file.");
            }

            if (mode == HostKeyCheckMode.Strict)
            {
                return TrustDecision.Reject($"{endpoint} is not in {store.Path} (strict mode); server key is {serverKey.Fingerprint}");
            }

            store.Add(host, port, serverKey.Spki);
            return TrustDecision.Accept($"new server {endpoint} recorded in {store.Path} with key {serverKey.Fingerprint}");
        }
    }
}
