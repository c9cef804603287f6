using System.Security.Cryptography;

namespace SecureActors.Server.Tests.Hostile;

/// <summary>How the client Finished is damaged (tlsfuzzer <c>test_tls13_finished</c>).</summary>
public enum FinishedBug
{
    None,
    BitFlip,
    Truncate,
    Empty,
    Pad,
}

/// <summary>
/// The knobs of <see cref="HostilePeer"/>, after BoringSSL's <c>ProtocolBugs</c>
/// (<c>ssl/test/runner/common.go</c>): each one breaks exactly one rule of PROTOCOL.md on purpose.
/// The defaults are an honest SAP/1 client offering AES-128-GCM, P-256 and RSA-PSS-SHA256.
/// Steps that need byte-exact control (a second ClientHello, a reflected flight) are composed in
/// the tests from the peer's step methods instead of growing more knobs.
/// </summary>
internal sealed record ProtocolBugs
{
    public static ProtocolBugs None { get; } = new();

    // ---- ClientHello ----------------------------------------------------------------------

    public ushort[] Versions { get; init; } = [0x0001];

    public ushort[] Suites { get; init; } = [0x1301];

    public ushort[] Groups { get; init; } = [0x0017];

    /// <summary>Groups the peer generates real ephemeral shares for (P-256/P-384 only), in order.</summary>
    public ushort[] ShareGroups { get; init; } = [0x0017];

    /// <summary>Replaces the bytes of the first share (off-curve, compressed, wrong length …), keeping its label.</summary>
    public byte[]? ShareBytes { get; init; }

    /// <summary>Sends the first share under this group label instead of its real group.</summary>
    public ushort? ShareLabel { get; init; }

    /// <summary>Extra raw (group, share) entries appended after the real ones (duplicates, unlisted groups).</summary>
    public (ushort Group, byte[] Share)[] ExtraShares { get; init; } = [];

    public ushort[] SignatureSchemes { get; init; } = [0x0804];

    /// <summary>Extensions in order; duplicates are sent as given.</summary>
    public (ushort Type, byte[] Data)[] Extensions { get; init; } = [(0x0001, [0x00, 0x10, 0x00, 0x00])];

    /// <summary>Bytes appended to the ClientHello body inside the message (trailing bytes).</summary>
    public byte[] ClientHelloTrailing { get; init; } = [];

    /// <summary>Every write (magic, ClientHello, flight) goes out one byte per socket call.</summary>
    public bool OneBytePerWrite { get; init; }

    // ---- client flight --------------------------------------------------------------------

    /// <summary>Our RSA key, sent as Identity and used for the Signature when the server asks for client authentication.</summary>
    public RSA? ClientKey { get; init; }

    /// <summary>Sends these SPKI bytes as Identity instead of <see cref="ClientKey"/>'s (forged or malformed keys).</summary>
    public byte[]? IdentitySpki { get; init; }

    /// <summary>Signs with this key while presenting <see cref="ClientKey"/> (a signature from another key).</summary>
    public RSA? SignWith { get; init; }

    /// <summary>Scheme announced in the Signature message.</summary>
    public ushort SignatureScheme { get; init; } = 0x0804;

    /// <summary>Produces the signature bytes from (key, signed content) instead of RSA-PSS/SHA-256 (PKCS#1 v1.5, MGF1 mismatch, salt 0 …).</summary>
    public Func<RSA, byte[], byte[]>? Signer { get; init; }

    /// <summary>Replaces the signature bytes outright (e.g. the server's own signature, reflected).</summary>
    public byte[]? SignatureBytes { get; init; }

    public bool SkipSignature { get; init; }

    public FinishedBug Finished { get; init; }

    /// <summary>Seals an application-data record under c_hs before the flight (BoGo AppDataBeforeHandshake).</summary>
    public bool AppDataBeforeFinished { get; init; }

    /// <summary>Raw bytes appended after the Finished inside the same record.</summary>
    public byte[]? TrailingAfterFinished { get; init; }
}
