using System.Net;
using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;
using static SecureActors.Protocol.Handshake.HandshakeMessages;

namespace SecureActors.Protocol.Handshake;

/// <summary>
/// The server side of the SAP/1 handshake (PROTOCOL.md §6). Feed it the client's records after the
/// 8-byte prologue has been checked with <see cref="Framing.Prologue.TryRead"/>.
/// <code>
/// AwaitingClientHello ─CH→ (HRR → AwaitingClientHello) ─→ GeneratingKey ─→ DerivingAndSigning
///   ─flight→ AwaitingClientIdentity ─→ AwaitingClientSignature ─→ Verifying ─→ AwaitingClientFinished ─→ Established
///            (client_auth = none: straight to AwaitingClientFinished)
/// </code>
/// </summary>
public sealed class ServerHandshake : HandshakeMachine
{
    private readonly LocalIdentity _identity;
    private readonly IClientAuthorizer? _authorizer;
    private readonly IPAddress? _remoteAddress;
    private State _state = State.AwaitingClientHello;
    private ClientHello? _firstHello;
    private ushort _version;
    private CipherSuite _suite;
    private NamedGroup _group;
    private SignatureScheme _ownScheme;
    private byte[]? _clientShare;
    private byte[]? _serverHello;
    private int _clientMaxMessage = ProtocolOptions.Default.MaxMessageSize;
    private bool _messageSignatures;
    private bool _messageBatching;
    private PeerIdentity? _clientIdentity;

    /// <summary>Creates the server side of one connection.</summary>
    /// <param name="options">Server options (suites, groups, client-auth policy, limits).</param>
    /// <param name="identity">The server's identity key.</param>
    /// <param name="authorizer">Authorises client keys; required unless client authentication is off.</param>
    /// <param name="remoteAddress">The client's address, for <c>from="cidr"</c> rules.</param>
    public ServerHandshake(ProtocolOptions options, LocalIdentity identity, IClientAuthorizer? authorizer = null, IPAddress? remoteAddress = null)
        : base(options)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (options.ClientAuthentication != ClientAuthPolicy.None && authorizer is null)
        {
            throw new ArgumentException("client authentication needs an authorizer", nameof(authorizer));
        }

        _identity = identity;
        _authorizer = authorizer;
        _remoteAddress = remoteAddress;
    }

    private enum State
    {
        AwaitingClientHello,
        GeneratingKey,
        DerivingAndSigning,
        AwaitingClientIdentity,
        AwaitingClientSignature,
        Verifying,
        AwaitingClientFinished,
        Established,
    }

    /// <inheritdoc />
    public override string StateName => _state.ToString();

    internal ServerFaults Faults { get; init; } = new();

    private protected override void OnHandshakeMessage(HandshakeType type, ReadOnlySpan<byte> body, ReadOnlySpan<byte> raw, bool isProtected, bool lastInRecord)
    {
        switch (_state, type)
        {
            case (State.AwaitingClientHello, HandshakeType.ClientHello) when !isProtected:
                if (!lastInRecord)
                {
                    throw Violation(AlertDescription.UnexpectedMessage, "data after ClientHello in the same record");
                }

                OnClientHello(ClientHello.Decode(body), raw);
                break;
            case (State.AwaitingClientIdentity, HandshakeType.Identity) when isProtected:
                OnClientIdentity(IdentityMessage.Decode(body), raw);
                break;
            case (State.AwaitingClientSignature, HandshakeType.Signature) when isProtected:
                OnClientSignature(SignatureMessage.Decode(body), raw);
                break;
            case (State.AwaitingClientFinished, HandshakeType.Finished) when isProtected:
                if (!lastInRecord)
                {
                    throw Violation(AlertDescription.UnexpectedMessage, "data after Finished in the same record");
                }

                OnClientFinished(body, raw);
                break;
            default:
                throw Violation(AlertDescription.UnexpectedMessage, $"{type} not expected in state {_state}");
        }
    }

    private protected override void OnCryptoResult(CryptoResult result)
    {
        switch (_state)
        {
            case State.GeneratingKey:
                OnKeyGenerated((List<EphemeralKeyPair>)result.Value!);
                break;
            case State.DerivingAndSigning:
                OnDerivedAndSigned((SecretAndSignature)result.Value!);
                break;
            case State.Verifying:
                _state = State.AwaitingClientFinished;
                break;
            default:
                throw new InvalidOperationException($"crypto result in state {_state}");
        }
    }

    private void OnClientHello(ClientHello hello, ReadOnlySpan<byte> raw)
    {
        var retry = _firstHello is not null;
        if (retry)
        {
            CheckSecondHello(_firstHello!, hello);
        }

        var version = Negotiate(Options.Versions, hello.Versions)
            ?? throw Violation(AlertDescription.ProtocolVersion, "no common protocol version");
        // The classroom suite and group come as a pair, and only when both sides enabled them:
        // the client offers both only when its configuration enables them, and we select them only
        // when ours does. Otherwise they are ignored like any unknown code point (PROTOCOL.md §13).
        var classroom = Options.EnableClassroom
            && hello.Suites.Contains((ushort)CipherSuite.Classroom)
            && hello.Groups.Contains((ushort)NamedGroup.Classroom);
        var suiteValue = classroom
            ? (ushort)CipherSuite.Classroom
            : Negotiate(Options.CipherSuites.Select(s => (ushort)s), hello.Suites)
                ?? throw Violation(AlertDescription.HandshakeFailure, "no common cipher suite");
        var scheme = Negotiate(Options.SignatureSchemes.Select(s => (ushort)s), hello.SignatureSchemes)
            ?? throw Violation(AlertDescription.HandshakeFailure, "no common signature scheme");

        foreach (var share in hello.KeyShares)
        {
            if (Enum.IsDefined((NamedGroup)share.Group) && (classroom || share.Group != (ushort)NamedGroup.Classroom) && EphemeralKeyPair.CheckShareSyntax((NamedGroup)share.Group, share.Share) is { } bad)
            {
                throw new ProtocolViolationException(bad);
            }
        }

        ReadExtensions(hello);
        _version = version;
        _suite = (CipherSuite)suiteValue;
        _ownScheme = (SignatureScheme)scheme;
        var suite = SuiteParameters.For(_suite);
        Transcript.Append(raw);

        var ourGroups = classroom ? [(ushort)NamedGroup.Classroom] : Options.Groups.Select(g => (ushort)g).ToList();
        var shareGroup = ourGroups.FirstOrDefault(g => hello.KeyShares.Any(s => s.Group == g));
        if (shareGroup == 0)
        {
            if (retry)
            {
                throw Violation(AlertDescription.IllegalParameter, "second ClientHello still has no usable key share");
            }

            var wanted = ourGroups.FirstOrDefault(g => hello.Groups.Contains(g));
            if (wanted == 0)
            {
                throw Violation(AlertDescription.HandshakeFailure, "no common group");
            }

            // One HelloRetryRequest: ClientHello1 becomes message_hash in the transcript.
            _firstHello = hello;
            _group = (NamedGroup)wanted;
            Transcript.StartWithMessageHash(suite.Hash, suite.HashLength);
            var hrr = new HelloRetryRequest(version, suiteValue, wanted).Encode();
            Transcript.Append(hrr);
            WritePlaintextHandshake(hrr);
            return;
        }

        if (retry && (hello.KeyShares.Length != 1 || hello.KeyShares[0].Group != (ushort)_group))
        {
            throw Violation(AlertDescription.IllegalParameter, "second ClientHello must carry exactly the requested share");
        }

        _group = (NamedGroup)shareGroup;
        if (classroom)
        {
            WarnClassroom();
        }

        _clientShare = hello.KeyShares.First(s => s.Group == shareGroup).Share;
        Transcript.Start(suite.Hash, suite.HashLength);
        Secrets = new HandshakeSecrets(suite);
        _state = State.GeneratingKey;
        Await(new GenerateKeySharesOperation([_group]));
    }

    private static void CheckSecondHello(ClientHello first, ClientHello second)
    {
        var same = first.Random.AsSpan().SequenceEqual(second.Random)
            && first.Versions.SequenceEqual(second.Versions)
            && first.Suites.SequenceEqual(second.Suites)
            && first.Groups.SequenceEqual(second.Groups)
            && first.SignatureSchemes.SequenceEqual(second.SignatureSchemes)
            && first.Extensions.Count == second.Extensions.Count
            && first.Extensions.Zip(second.Extensions).All(p => p.First.Type == p.Second.Type && p.First.Data.AsSpan().SequenceEqual(p.Second.Data));
        if (!same)
        {
            throw Violation(AlertDescription.IllegalParameter, "second ClientHello differs from the first beyond its key share");
        }
    }

    private void ReadExtensions(ClientHello hello)
    {
        if (hello.Extension(ExtensionType.MaxMessageSize) is { } max)
        {
            if (max.Length != 4)
            {
                throw Violation(AlertDescription.DecodeError, "max_message_size extension is not 4 bytes");
            }

            var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(max);
            if (value == 0)
            {
                throw Violation(AlertDescription.IllegalParameter, "max_message_size is zero");
            }

            _clientMaxMessage = (int)Math.Min(value, int.MaxValue);
        }

        if (Offers(hello, ExtensionType.MessageSignatures, "message_signatures"))
        {
            _messageSignatures = Options.MessageSignatures;
        }

        if (Offers(hello, ExtensionType.MessageBatching, "message_batching"))
        {
            _messageBatching = Options.MessageBatching;
        }
    }

    /// <summary>Whether the client offers the feature whose ClientHello extension is an empty flag; any content is decode_error.</summary>
    private static bool Offers(ClientHello hello, ExtensionType flag, string name)
    {
        if (hello.Extension(flag) is not { } data)
        {
            return false;
        }

        if (data.Length != 0)
        {
            throw Violation(AlertDescription.DecodeError, $"{name} extension is not empty");
        }

        return true;
    }

    private static ushort? Negotiate(IEnumerable<ushort> ours, ushort[] theirs)
    {
        foreach (var value in ours)
        {
            if (theirs.Contains(value))
            {
                return value;
            }
        }

        return null;
    }

    private void OnKeyGenerated(List<EphemeralKeyPair> pairs)
    {
        var key = pairs[0];
        var random = RandomBytes(HandshakeLimits.RandomLength);
        if (_version < Options.Versions.Max() || Faults.AlwaysSetSentinel)
        {
            DowngradeSentinel.Value.CopyTo(random.AsSpan(DowngradeSentinel.Offset));
        }

        var share = Faults.ReplaceShare ?? key.PublicShare.ToArray();
        _serverHello = new ServerHello(random, _version, (ushort)_suite, (ushort)_group, share).Encode();
        Transcript.Append(_serverHello);
        _transcriptToServerHello = Transcript.CurrentHash();

        // What is signed does not depend on Z, so derive and sign go to the crypto pool together.
        var parameters = new ServerParams(Options.ClientAuthentication, (uint)Options.MaxMessageSize, _messageSignatures, Options.SignatureSchemes.Select(s => (ushort)s).ToArray(), _messageBatching).Encode();
        var identity = new IdentityMessage(_identity.Spki.ToArray()).Encode();
        Transcript.Append(parameters);
        Transcript.Append(identity);
        _pendingFlight = [parameters, identity];
        var content = SignatureSchemes.BuildContent(Faults.SignWithClientContext ? SignatureSchemes.ClientContext : SignatureSchemes.ServerContext, Transcript.CurrentHash());
        _forgeryContent = Faults.ForgeSignature is null ? null : content;
        _state = State.DerivingAndSigning;
        Await(new DeriveAndSignOperation(key, _clientShare!, _identity, _ownScheme, content));
    }

    private void OnDerivedAndSigned(SecretAndSignature result)
    {
        using (result)
        {
            Secrets!.DeriveHandshakeTraffic(result.SharedSecret, _transcriptToServerHello);
        }

        OnSigned(result.Signature);
    }

    private byte[] _transcriptToServerHello = [];
    private byte[][] _pendingFlight = [];
    private byte[]? _forgeryContent;

    private void OnSigned(byte[] signature)
    {
        var secrets = Secrets!;
        var suite = secrets.Suite;
        if (_forgeryContent is not null)
        {
            signature = Faults.ForgeSignature!(_forgeryContent);
        }

        var signatureMessage = new SignatureMessage((ushort)(Faults.ClaimScheme ?? _ownScheme), signature).Encode();
        Transcript.Append(signatureMessage);
        var verifyData = new byte[suite.HashLength];
        KeySchedule.ComputeFinished(suite.Hash, secrets.ServerHandshakeTraffic, Transcript.CurrentHash(), verifyData);
        if (Faults.CorruptFinished)
        {
            verifyData[0] ^= 1;
        }

        var finished = EncodeFinished(verifyData);
        Transcript.Append(finished);
        secrets.DeriveApplicationTraffic(Transcript.CurrentHash());

        WritePlaintextHandshake(_serverHello!);
        using (var handshakeSealer = new RecordSealer(NewTrafficSecret(suite, secrets.ServerHandshakeTraffic)))
        {
            WriteProtectedHandshake(handshakeSealer, [.. _pendingFlight, signatureMessage, finished]);
        }

        CommitOutput();

        // From here on the server sends with s_ap_0 (alerts about the client flight included) and
        // reads the client flight under c_hs.
        Sealer = new RecordSealer(NewTrafficSecret(suite, secrets.ServerApplicationTraffic));
        Opener = new RecordOpener(NewTrafficSecret(suite, secrets.ClientHandshakeTraffic));
        _state = Options.ClientAuthentication == ClientAuthPolicy.None ? State.AwaitingClientFinished : State.AwaitingClientIdentity;
    }

    private void OnClientIdentity(IdentityMessage identity, ReadOnlySpan<byte> raw)
    {
        Transcript.Append(raw);
        if (identity.Spki.Length == 0)
        {
            if (Options.ClientAuthentication == ClientAuthPolicy.Required)
            {
                throw Violation(AlertDescription.CertificateRequired, "client sent no identity but one is required");
            }

            _state = State.AwaitingClientFinished;
            return;
        }

        _clientIdentity = new PeerIdentity(identity.Spki);
        _state = State.AwaitingClientSignature;
    }

    private void OnClientSignature(SignatureMessage signature, ReadOnlySpan<byte> raw)
    {
        if (!Options.SignatureSchemes.Contains((SignatureScheme)signature.Scheme))
        {
            throw Violation(AlertDescription.IllegalParameter, $"client used signature scheme 0x{signature.Scheme:x4}, which was not offered");
        }

        var content = SignatureSchemes.BuildContent(SignatureSchemes.ClientContext, Transcript.CurrentHash());
        Transcript.Append(raw);
        _state = State.Verifying;
        Await(new VerifyOperation(_clientIdentity!.Spki.ToArray(), (SignatureScheme)signature.Scheme, content, signature.Value));
    }

    private void OnClientFinished(ReadOnlySpan<byte> body, ReadOnlySpan<byte> raw)
    {
        var secrets = Secrets!;
        var suite = secrets.Suite;
        VerifyPeerFinished(secrets.ClientHandshakeTraffic, body, "client");

        Transcript.Append(raw);
        var peer = _clientIdentity;
        if (peer is not null)
        {
            var name = _authorizer!.Authorize(peer, _remoteAddress)
                ?? throw Violation(AlertDescription.AccessDenied, $"client key {peer.Fingerprint} is not authorised");
            peer = peer.WithDisplayName(name);
        }

        var (clientSecret, serverSecret) = secrets.TakeApplicationSecrets();
        RecordSealer sealer;
        try
        {
            // The sealer already built for alerts is s_ap_0 and unused so far: hand it over.
            sealer = Sealer!;
            Sealer = null;
            var opener = new RecordOpener(NewTrafficSecret(suite, clientSecret));
            var channel = new SecureChannel(ChannelRole.Server, sealer, opener, Options, _clientMaxMessage, _messageSignatures, _messageBatching);
            _state = State.Established;
            Succeed(new HandshakeResult(_version, _suite, _group, peer, secrets.SessionId!, channel, TakeQueuedFrames(), null));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clientSecret);
            CryptographicOperations.ZeroMemory(serverSecret);
        }
    }
}
