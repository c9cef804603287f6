using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;

namespace SecureActors.Protocol;

/// <summary>
/// Everything tunable in SAP/1, for both roles. <see cref="Default"/> is the one place the
/// defaults live in C#; it mirrors PROTOCOL.md §10 ("Defaults"), and the server and client layers
/// bind their HOCON settings onto it with <c>with { … }</c>. Lists are in preference order.
/// </summary>
public sealed record ProtocolOptions
{
    /// <summary>The recommended configuration (PROTOCOL.md §10).</summary>
    public static ProtocolOptions Default { get; } = new();

    /// <summary>AEAD suites enabled, in preference order (the server's order decides).</summary>
    public IReadOnlyList<CipherSuite> CipherSuites { get; init; } =
        [CipherSuite.Aes128GcmSha256, CipherSuite.Aes256GcmSha384, CipherSuite.ChaCha20Poly1305Sha256];

    /// <summary>Key-exchange groups enabled, in preference order. FFDHE groups are off by default.</summary>
    public IReadOnlyList<NamedGroup> Groups { get; init; } = [NamedGroup.Secp256r1, NamedGroup.Secp384r1];

    /// <summary>Client only: groups to send key shares for in the first ClientHello (at most 2; each must be in <see cref="Groups"/>).</summary>
    public IReadOnlyList<NamedGroup> KeyShareGroups { get; init; } = [NamedGroup.Secp256r1];

    /// <summary>Signature schemes accepted from the peer and usable for our own signature, in preference order.</summary>
    public IReadOnlyList<SignatureScheme> SignatureSchemes { get; init; } =
        [SignatureScheme.RsaPssRsaeSha256, SignatureScheme.RsaPssRsaeSha384, SignatureScheme.RsaPssRsaeSha512];

    /// <summary>Server only: whether clients must, may or need not authenticate.</summary>
    public ClientAuthPolicy ClientAuthentication { get; init; } = ClientAuthPolicy.None;

    /// <summary>Largest application message accepted from the peer (1 MiB). Announced in the handshake.</summary>
    public int MaxMessageSize { get; init; } = 1 << 20;

    /// <summary>Send a KeyUpdate after this many records under one key (2^24; RFC 8446 §5.5 allows 2^24.5 for AES-GCM).</summary>
    public long KeyUpdateAfterRecords { get; init; } = 1L << 24;

    /// <summary>Send a KeyUpdate after this many content bytes under one key (1 GiB, as SSH).</summary>
    public long KeyUpdateAfterBytes { get; init; } = 1L << 30;

    /// <summary>Send a KeyUpdate when a key has been in use this long (1 hour, as SSH).</summary>
    public TimeSpan KeyUpdateInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Close if the peer sends more records than this under one key (⌊2^24.5⌋).</summary>
    public long MaxRecordsPerPeerKey { get; init; } = 23_726_566;

    /// <summary>Consecutive empty application records tolerated (BoGo kMaxEmptyRecords).</summary>
    public int MaxEmptyRecords { get; init; } = 32;

    /// <summary>Consecutive KeyUpdates without application data tolerated (BoGo kMaxKeyUpdates).</summary>
    public int MaxConsecutiveKeyUpdates { get; init; } = 32;

    /// <summary>Offer (client) or accept (server) per-message RSA signatures. Off by default.</summary>
    public bool MessageSignatures { get; init; }

    /// <summary>
    /// Offer (client) or accept (server) message batching (PROTOCOL.md §8.7): several whole messages
    /// may then share one record, so a burst of pipelined messages costs one AEAD seal and open
    /// instead of one per message. In use only when both ends want it.
    /// </summary>
    public bool MessageBatching { get; init; } = true;

    /// <summary>
    /// INSECURE, teaching only. Enable the classroom suite and group (the seed projects' 16-bit DH,
    /// 4-byte block cipher and 16-bit-hash RSA MAC; PROTOCOL.md §13). A client offers them in
    /// addition to its real suites; a server selects them only when the client offered both, so
    /// they are negotiated only when both sides enable them, and otherwise a real suite is used.
    /// <see cref="SecurityWarning"/> is raised when a handshake negotiates them and on every
    /// record sealed or opened with them.
    /// </summary>
    public bool EnableClassroom { get; init; }

    /// <summary>
    /// Called with a loud warning (<see cref="Classroom.ClassroomSuite.Warning"/>) whenever something
    /// insecure is used: each classroom handshake and each classroom record. Wire it to the logger at
    /// warning level. It is called on the thread driving the handshake machine or channel.
    /// </summary>
    public Action<string>? SecurityWarning { get; init; }

    /// <summary>Clock for KeyUpdate intervals; injectable for tests.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Protocol versions offered/accepted. SAP/1 defines only 1; other values exist for downgrade tests.</summary>
    internal IReadOnlyList<ushort> Versions { get; init; } = [1];

    /// <summary>Throws <see cref="ArgumentException"/> when the client-only settings contradict the rest.</summary>
    public void ValidateForClient()
    {
        Validate();
        if (KeyShareGroups.Count > HandshakeLimits.MaxKeyShares || KeyShareGroups.Any(g => !Groups.Contains(g)) || KeyShareGroups.Distinct().Count() != KeyShareGroups.Count)
        {
            throw new ArgumentException("KeyShareGroups must list at most 2 distinct groups, each in Groups");
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the options contradict themselves.</summary>
    public void Validate()
    {
        if (CipherSuites.Count == 0 || CipherSuites.Count > HandshakeLimits.MaxSuites || CipherSuites.Any(s => !SuiteParameters.IsAead(s)))
        {
            throw new ArgumentException("CipherSuites must list 1..32 AEAD suites (the classroom suite is enabled with EnableClassroom)");
        }

        if (Groups.Count == 0 || Groups.Count > HandshakeLimits.MaxGroups || Groups.Distinct().Count() != Groups.Count)
        {
            throw new ArgumentException("Groups must list 1..16 distinct groups");
        }

        if (Groups.Contains(NamedGroup.Classroom) || KeyShareGroups.Contains(NamedGroup.Classroom))
        {
            throw new ArgumentException("the classroom group is never listed in Groups or KeyShareGroups; it comes only with EnableClassroom");
        }

        if (SignatureSchemes.Count == 0 || SignatureSchemes.Count > HandshakeLimits.MaxSignatureSchemes)
        {
            throw new ArgumentException("SignatureSchemes must list 1..16 schemes");
        }

        if (MaxMessageSize < 1 || KeyUpdateAfterRecords < 1 || KeyUpdateAfterBytes < 1 || KeyUpdateInterval <= TimeSpan.Zero
            || MaxRecordsPerPeerKey < 1 || MaxEmptyRecords < 0 || MaxConsecutiveKeyUpdates < 0)
        {
            throw new ArgumentException("limits and thresholds must be positive");
        }
    }
}
