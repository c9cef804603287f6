using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;
using static SecureActors.Protocol.Handshake.HandshakeMessages;

namespace SecureActors.Protocol.Handshake;

/// <summary>
/// The client side of the SAP/1 handshake (PROTOCOL.md §6). Call <see cref="Start"/> first; its
/// output begins with the 8-byte prologue.
/// <code>
/// Initial ─Start→ GeneratingKeys ─CH→ AwaitingServerHello ─(HRR → GeneratingKeys → AwaitingServerHello)
///   ─SH→ Deriving ─→ AwaitingServerParams ─→ AwaitingServerIdentity ─→ AwaitingServerSignature
///   ─→ Verifying ─→ AwaitingServerFinished ─(trust check)→ [Signing] ─client flight→ Established
/// </code>
/// The client verifies the server's signature, Finished and trust before it sends anything.
/// </summary>
public sealed class ClientHandshake : HandshakeMachine
{
    private readonly IServerTrust _trust;
    private readonly LocalIdentity? _identity;
    private State _state = State.Initial;
    private readonly Dictionary<NamedGroup, EphemeralKeyPair> _keys = [];
    private readonly ushort[] _offeredSuites;
    private readonly ushort[] _offeredGroups;
    private ClientHello? _hello;
    private bool _retried;
    private ushort _hrrSuite;
    private ushort _version;
    private CipherSuite _suite;
    private NamedGroup _group;
    private ServerParams? _serverParams;
    private byte[]? _serverSpki;
    private PeerIdentity? _server;
    private string? _trustMessage;
    private byte[]? _clientIdentityMessage;

    /// <summary>Creates the client side of one connection.</summary>
    /// <param name="options">Client options (suites, groups, key shares, limits).</param>
    /// <param name="trust">Decides whether the server's key is acceptable (known_hosts, pin).</param>
    /// <param name="identity">Our key, sent when the server asks for client authentication.</param>
    public ClientHandshake(ProtocolOptions options, IServerTrust trust, LocalIdentity? identity = null)
        : base(options)
    {
        ArgumentNullException.ThrowIfNull(trust);
        options.ValidateForClient();
        _offeredSuites = [.. options.CipherSuites.Select(s => (ushort)s), .. options.EnableClassroom ? [(ushort)CipherSuite.Classroom] : Array.Empty<ushort>()];
        _offeredGroups = [.. options.Groups.Select(g => (ushort)g), .. options.EnableClassroom ? [(ushort)NamedGroup.Classroom] : Array.Empty<ushort>()];
        CheckHelloFitsServerLimits(options, _offeredSuites, _offeredGroups);
        _trust = trust;
        _identity = identity;
    }

    private enum State
    {
        Initial,
        GeneratingKeys,
        AwaitingServerHello,
        Deriving,
        AwaitingServerParams,
        AwaitingServerIdentity,
        AwaitingServerSignature,
        Verifying,
        AwaitingServerFinished,
        Signing,
        Established,
    }

    /// <inheritdoc />
    public override string StateName => _state.ToString();

    internal ClientFaults Faults { get; init; } = new();

    /// <summary>Begins the handshake: asks for the ephemeral key shares, after which the ClientHello is produced.</summary>
    public HandshakeStep Start()
    {
        if (_state != State.Initial)
        {
            throw new InvalidOperationException("Start may be called once");
        }

        _state = State.GeneratingKeys;
        return Issue(new GenerateKeySharesOperation(FirstShareGroups()));
    }

    /// <summary>
    /// The configured share groups, plus a (2-byte) classroom share when the classroom suite is
    /// enabled and the share cap leaves room; otherwise a classroom server asks for it with an HRR.
    /// </summary>
    private List<NamedGroup> FirstShareGroups()
    {
        var groups = Options.KeyShareGroups.ToList();
        if (Options.EnableClassroom && groups.Count < HandshakeLimits.MaxKeyShares)
        {
            groups.Add(NamedGroup.Classroom);
        }

        return groups;
    }

    /// <summary>The groups listed in ClientHello: the configured ones, then the classroom group when enabled.</summary>
    private bool Offers(NamedGroup group) => _offeredGroups.Contains((ushort)group);

    /// <summary>
    /// Refuses, up front, a configuration whose ClientHello every server would reject (PROTOCOL.md
    /// §5.1): a list over its cap once EnableClassroom has appended its code points (16 configured
    /// groups become 17), a repeated entry, or a key share for a group this library cannot
    /// generate. <see cref="ProtocolOptions.ValidateForClient"/> checks the configured lists alone,
    /// so without this the mistake would surface as a decode_error from every server.
    /// </summary>
    private static void CheckHelloFitsServerLimits(ProtocolOptions options, ushort[] suites, ushort[] groups)
    {
        var classroom = options.EnableClassroom ? " once EnableClassroom adds the classroom code point" : string.Empty;
        var remedy = options.EnableClassroom ? ", or disable the classroom suite" : string.Empty;
        CheckList(nameof(ProtocolOptions.CipherSuites), suites, HandshakeLimits.MaxSuites, classroom, remedy);
        CheckList(nameof(ProtocolOptions.Groups), groups, HandshakeLimits.MaxGroups, classroom, remedy);
        CheckList(nameof(ProtocolOptions.SignatureSchemes), [.. options.SignatureSchemes.Select(s => (ushort)s)], HandshakeLimits.MaxSignatureSchemes, string.Empty, string.Empty);
        foreach (var group in options.KeyShareGroups)
        {
            if (!Enum.IsDefined(group))
            {
                throw new ArgumentException($"KeyShareGroups names 0x{(ushort)group:x4}, a group this client cannot make a share for; list it only in Groups");
            }
        }
    }

    private static void CheckList(string setting, ushort[] offered, int cap, string classroom, string remedy)
    {
        if (offered.Length > cap)
        {
            throw new ArgumentException(
                $"{setting} would put {offered.Length} entries in the ClientHello{classroom}, over the cap of {cap} that servers enforce (PROTOCOL.md §5.1); remove {offered.Length - cap}{remedy}");
        }

        if (offered.Distinct().Count() != offered.Length)
        {
            throw new ArgumentException($"{setting} lists an entry twice; servers reject a ClientHello with a repeated entry (PROTOCOL.md §1)");
        }
    }

    private protected override void OnHandshakeMessage(HandshakeType type, ReadOnlySpan<byte> body, ReadOnlySpan<byte> raw, bool isProtected, bool lastInRecord)
    {
        switch (_state, type)
        {
            case (State.AwaitingServerHello, HandshakeType.ServerHello) when !isProtected:
                RequireLast(lastInRecord, type);
                OnServerHello(ServerHello.Decode(body), raw);
                break;
            case (State.AwaitingServerHello, HandshakeType.HelloRetryRequest) when !isProtected:
                RequireLast(lastInRecord, type);
                OnHelloRetryRequest(HelloRetryRequest.Decode(body), raw);
                break;
            case (State.AwaitingServerParams, HandshakeType.ServerParams) when isProtected:
                _serverParams = ServerParams.Decode(body);
                RequireOnlyWhatWasOffered(_serverParams, Options);
                Transcript.Append(raw);
                _state = State.AwaitingServerIdentity;
                break;
            case (State.AwaitingServerIdentity, HandshakeType.Identity) when isProtected:
                _serverSpki = IdentityMessage.Decode(body).Spki;
                Transcript.Append(raw);
                _state = State.AwaitingServerSignature;
                break;
            case (State.AwaitingServerSignature, HandshakeType.Signature) when isProtected:
                OnServerSignature(SignatureMessage.Decode(body), raw);
                break;
            case (State.AwaitingServerFinished, HandshakeType.Finished) when isProtected:
                RequireLast(lastInRecord, type);
                OnServerFinished(body, raw);
                break;
            default:
                throw Violation(AlertDescription.UnexpectedMessage, $"{type} not expected in state {_state}");
        }
    }

    private protected override void OnCryptoResult(CryptoResult result)
    {
        switch (_state)
        {
            case State.GeneratingKeys:
                foreach (var pair in (List<EphemeralKeyPair>)result.Value!)
                {
                    _keys[pair.Group] = pair;
                }

                SendClientHello();
                break;
            case State.Deriving:
                OnDerived((byte[])result.Value!);
                break;
            case State.Verifying:
                _server = new PeerIdentity(_serverSpki!);
                _state = State.AwaitingServerFinished;
                break;
            case State.Signing:
                SendClientFlight((byte[])result.Value!);
                break;
            default:
                throw new InvalidOperationException($"crypto result in state {_state}");
        }
    }

    private protected override void DisposeCore()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Clear();
    }

    private static void RequireLast(bool lastInRecord, HandshakeType type)
    {
        if (!lastInRecord)
        {
            throw Violation(AlertDescription.UnexpectedMessage, $"data after {type} in the same record");
        }
    }

    private void SendClientHello()
    {
        var versions = Faults.OfferedVersions ?? Options.Versions.ToArray();
        byte[] maxMessage = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(maxMessage, (uint)Options.MaxMessageSize);
        var extensions = new List<(ushort Type, byte[] Data)> { ((ushort)ExtensionType.MaxMessageSize, maxMessage) };
        if (Options.MessageSignatures)
        {
            extensions.Add(((ushort)ExtensionType.MessageSignatures, []));
        }

        if (Options.MessageBatching)
        {
            extensions.Add(((ushort)ExtensionType.MessageBatching, []));
        }

        var shares = Faults.KeyShares ?? _keys.Values.Select(k => new KeyShare((ushort)k.Group, k.PublicShare.ToArray())).ToArray();
        if (_retried)
        {
            var newShare = _keys[_group];
            _hello = _hello! with { KeyShares = [new KeyShare((ushort)_group, newShare.PublicShare.ToArray())] };
        }
        else
        {
            _hello = new ClientHello(
                RandomBytes(HandshakeLimits.RandomLength),
                versions,
                _offeredSuites,
                _offeredGroups,
                shares,
                Options.SignatureSchemes.Select(s => (ushort)s).ToArray(),
                extensions);
            WriteRaw(Prologue.Magic);
        }

        var encoded = _hello.Encode();
        if (Faults.MutateClientHello is not null)
        {
            encoded = Faults.MutateClientHello(encoded);
        }

        Transcript.Append(encoded);
        WritePlaintextHandshake(encoded);
        _state = State.AwaitingServerHello;
    }

    private void OnHelloRetryRequest(HelloRetryRequest hrr, ReadOnlySpan<byte> raw)
    {
        if (_retried)
        {
            throw Violation(AlertDescription.UnexpectedMessage, "second HelloRetryRequest");
        }

        CheckVersionAndSuite(hrr.Version, hrr.Suite);
        var group = (NamedGroup)hrr.Group;
        if (!Offers(group) || _keys.ContainsKey(group) || (group == NamedGroup.Classroom) != (hrr.Suite == (ushort)CipherSuite.Classroom))
        {
            throw Violation(AlertDescription.IllegalParameter, "HelloRetryRequest names a group we did not offer or already shared");
        }

        _retried = true;
        _hrrSuite = hrr.Suite;
        _group = group;
        var suite = SuiteParameters.For((CipherSuite)hrr.Suite);
        Transcript.StartWithMessageHash(suite.Hash, suite.HashLength);
        Transcript.Append(raw);
        DisposeKeys();
        _state = State.GeneratingKeys;
        Await(new GenerateKeySharesOperation([group]));
    }

    private void CheckVersionAndSuite(ushort version, ushort suite)
    {
        var offered = Faults.OfferedVersions ?? Options.Versions.ToArray();
        if (!offered.Contains(version) || !Options.Versions.Contains(version))
        {
            throw Violation(AlertDescription.IllegalParameter, $"server chose version {version}, which we did not offer");
        }

        if (!_offeredSuites.Contains(suite) || (_retried && suite != _hrrSuite))
        {
            throw Violation(AlertDescription.IllegalParameter, $"server chose suite 0x{suite:x4}, which we did not offer");
        }
    }

    /// <summary>
    /// PROTOCOL.md §5.4: a server may switch on only the features the client offered. A server that turns on message
    /// signatures anyway would have this client sign and expect signed replies it never agreed to.
    /// </summary>
    internal static void RequireOnlyWhatWasOffered(ServerParams parameters, ProtocolOptions offered)
    {
        if (parameters.MessageBatching && !offered.MessageBatching)
        {
            throw Violation(AlertDescription.IllegalParameter, "server accepted message batching, which was not offered");
        }

        if (parameters.MessageSignatures && !offered.MessageSignatures)
        {
            throw Violation(AlertDescription.IllegalParameter, "server turned on message signatures, which were not offered");
        }
    }

    private void OnServerHello(ServerHello hello, ReadOnlySpan<byte> raw)
    {
        CheckVersionAndSuite(hello.Version, hello.Suite);

        // A client that supports a higher version than the one chosen must see no sentinel.
        if (Options.Versions.Max() > hello.Version && hello.Random.AsSpan(DowngradeSentinel.Offset).SequenceEqual(DowngradeSentinel.Value))
        {
            throw Violation(AlertDescription.IllegalParameter, "downgrade sentinel in server random");
        }

        var group = (NamedGroup)hello.Group;
        if (!_keys.TryGetValue(group, out var key))
        {
            throw Violation(AlertDescription.IllegalParameter, "server chose a group we sent no share for");
        }

        if ((group == NamedGroup.Classroom) != (hello.Suite == (ushort)CipherSuite.Classroom))
        {
            throw Violation(AlertDescription.IllegalParameter, "the classroom suite and the classroom group come only together");
        }

        if (EphemeralKeyPair.CheckShareSyntax(group, hello.Share) is { } bad)
        {
            throw new ProtocolViolationException(bad);
        }

        if (group == NamedGroup.Classroom)
        {
            WarnClassroom();
        }

        _version = hello.Version;
        _suite = (CipherSuite)hello.Suite;
        _group = group;
        var suite = SuiteParameters.For(_suite);
        Transcript.Start(suite.Hash, suite.HashLength);
        Transcript.Append(raw);
        Secrets = new HandshakeSecrets(suite);

        // The chosen key moves into the operation (which destroys it); the others go now.
        _keys.Remove(group);
        DisposeKeys();
        _state = State.Deriving;
        Await(new DeriveSharedSecretOperation(key, hello.Share));
    }

    private void OnDerived(byte[] sharedSecret)
    {
        var secrets = Secrets!;
        try
        {
            secrets.DeriveHandshakeTraffic(sharedSecret, Transcript.CurrentHash());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
        }

        Opener = new RecordOpener(NewTrafficSecret(secrets.Suite, secrets.ServerHandshakeTraffic));
        Sealer = new RecordSealer(NewTrafficSecret(secrets.Suite, secrets.ClientHandshakeTraffic));
        _state = State.AwaitingServerParams;
    }

    private void OnServerSignature(SignatureMessage signature, ReadOnlySpan<byte> raw)
    {
        if (!Options.SignatureSchemes.Contains((SignatureScheme)signature.Scheme))
        {
            throw Violation(AlertDescription.IllegalParameter, $"server used signature scheme 0x{signature.Scheme:x4}, which was not offered");
        }

        var content = SignatureSchemes.BuildContent(SignatureSchemes.ServerContext, Transcript.CurrentHash());
        Transcript.Append(raw);
        _state = State.Verifying;
        Await(new VerifyOperation(_serverSpki!, (SignatureScheme)signature.Scheme, content, signature.Value));
    }

    private void OnServerFinished(ReadOnlySpan<byte> body, ReadOnlySpan<byte> raw)
    {
        var secrets = Secrets!;
        VerifyPeerFinished(secrets.ServerHandshakeTraffic, body, "server");

        Transcript.Append(raw);
        secrets.DeriveApplicationTraffic(Transcript.CurrentHash());

        var decision = _trust.Evaluate(_server!);
        if (!decision.Trusted)
        {
            throw Violation(AlertDescription.BadCertificate, decision.Message);
        }

        _trustMessage = decision.Message;
        var parameters = _serverParams!;
        if (parameters.ClientAuth == ClientAuthPolicy.None)
        {
            SendClientFlight(null);
            return;
        }

        var spki = _identity?.Spki.ToArray() ?? [];
        _clientIdentityMessage = new IdentityMessage(spki).Encode();
        Transcript.Append(_clientIdentityMessage);
        if (_identity is null || Faults.SkipSignature)
        {
            SendClientFlight(null);
            return;
        }

        var scheme = Options.SignatureSchemes.FirstOrDefault(s => parameters.SignatureSchemes.Contains((ushort)s));
        if (scheme == default)
        {
            throw Violation(AlertDescription.HandshakeFailure, "no signature scheme the server accepts");
        }

        var context = Faults.SignWithServerContext ? SignatureSchemes.ServerContext : SignatureSchemes.ClientContext;
        var content = SignatureSchemes.BuildContent(context, Transcript.CurrentHash());
        _state = State.Signing;
        _signingScheme = scheme;
        _forgeryContent = Faults.ForgeSignature is null ? null : content;
        Await(new SignOperation(Faults.SignWith ?? _identity, scheme, content));
    }

    private SignatureScheme _signingScheme;
    private byte[]? _forgeryContent;
    private bool _provedIdentity;

    private void SendClientFlight(byte[]? signature)
    {
        var secrets = Secrets!;
        var suite = secrets.Suite;
        var messages = new List<byte[]>();
        if (_clientIdentityMessage is not null)
        {
            messages.Add(_clientIdentityMessage);
        }

        if (signature is not null)
        {
            if (_forgeryContent is not null)
            {
                signature = Faults.ForgeSignature!(_forgeryContent);
            }

            var signatureMessage = new SignatureMessage((ushort)(Faults.ClaimScheme ?? _signingScheme), signature).Encode();
            Transcript.Append(signatureMessage);
            messages.Add(signatureMessage);
            _provedIdentity = true;
        }

        var verifyData = new byte[suite.HashLength];
        KeySchedule.ComputeFinished(suite.Hash, secrets.ClientHandshakeTraffic, Transcript.CurrentHash(), verifyData);
        if (Faults.CorruptFinished)
        {
            verifyData[0] ^= 0x01;
        }

        if (Faults.FinishedLengthDelta != 0)
        {
            Array.Resize(ref verifyData, Math.Max(1, verifyData.Length + Faults.FinishedLengthDelta));
        }

        var finished = EncodeFinished(verifyData);
        Transcript.Append(finished);
        messages.Add(finished);
        if (Faults.TrailingAfterFinished is not null)
        {
            messages.Add(Faults.TrailingAfterFinished);
        }

        if (Faults.ApplicationDataBeforeFinished)
        {
            var span = new byte[RecordSealer.RecordLength(1)];
            var written = Sealer!.Seal([0x42], ContentType.ApplicationData, span);
            WriteRaw(span.AsSpan(0, written));
        }

        WriteProtectedHandshake(Sealer!, [.. messages]);

        var (clientSecret, serverSecret) = secrets.TakeApplicationSecrets();
        try
        {
            var sealer = new RecordSealer(NewTrafficSecret(suite, clientSecret));
            var opener = new RecordOpener(NewTrafficSecret(suite, serverSecret));
            var channel = new SecureChannel(ChannelRole.Client, sealer, opener, Options, (int)Math.Min(_serverParams!.MaxMessageSize, int.MaxValue), _serverParams.MessageSignatures, _serverParams.MessageBatching);
            _state = State.Established;
            Succeed(new HandshakeResult(_version, _suite, _group, _server, secrets.SessionId!, channel, TakeQueuedFrames(), _trustMessage, _provedIdentity));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clientSecret);
            CryptographicOperations.ZeroMemory(serverSecret);
        }
    }

    private void DisposeKeys()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Clear();
    }
}
