using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SecureActors.Protocol.Tests.Interop;

/// <summary>A fatal condition the spec client detected, or an alert the server sent it.</summary>
internal sealed class SpecFailure(string message, int alert = -1, bool serverBusy = false) : Exception(message)
{
    /// <summary>The alert description received from the server, or -1 for a local check.</summary>
    public int Alert { get; } = alert;

    /// <summary>§4: the server refused the connection at capacity (server_busy as its first record): retry later.</summary>
    public bool ServerBusy { get; } = serverBusy;
}

/// <summary>
/// A second, deliberately minimal SAP/1 client written only from docs/PROTOCOL.md with BCL
/// primitives and no reference to the library under test. It exists to prove the spec is
/// complete: every byte it sends or checks is derived from the document (section numbers cited).
/// It throws <see cref="SpecFailure"/> on anything unexpected instead of sending alerts.
/// </summary>
internal sealed class SpecClient : IDisposable
{
    // §2
    private static readonly byte[] Magic = "SECACTR\n"u8.ToArray();

    /// <summary>§4: server_busy, SAP/1's own alert code.</summary>
    public const byte ServerBusyAlert = 240;

    private readonly ushort[] _suites;
    private readonly ushort[] _groups;
    private readonly ushort[] _schemes;
    private readonly RSA? _clientKey;
    private readonly byte[] _random = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<ushort, ECDiffieHellman> _ephemeral = [];
    private readonly List<byte> _transcript = [.. Magic];
    private readonly List<byte> _inbox = [];
    private byte[] _clientHelloBody = [];
    private bool _hrrSeen;
    private int _recordsReceived;
    private State _state = State.AwaitingServerHello;

    private ushort _suite;
    private HashAlgorithmName _hash;
    private int _hashLength;
    private byte[] _cHs = [];
    private byte[] _sHs = [];
    private byte[] _master = [];
    private Direction? _receive;
    private Direction? _send;
    private byte _clientAuth;
    private ushort[] _serverAcceptedSchemes = [];
    private RSA? _serverKey;
    private byte[]? _serverSpki;
    private ulong _nextRequestId = 1;

    public SpecClient(ushort[] suites, ushort[] groups, ushort[] shareGroups, ushort[] schemes, RSA? clientKey = null)
    {
        _suites = suites;
        _groups = groups;
        _schemes = schemes;
        _clientKey = clientKey;
        foreach (var g in shareGroups)
        {
            _ephemeral[g] = ECDiffieHellman.Create(Curve(g));
        }
    }

    private enum State
    {
        AwaitingServerHello,
        AwaitingServerParams,
        AwaitingServerIdentity,
        AwaitingServerSignature,
        AwaitingServerFinished,
        Established,
        Closed,
    }

    public ushort Suite => _suite;

    public ushort Group { get; private set; }

    public byte[] ServerSpki => _serverSpki ?? throw new InvalidOperationException("no server identity yet");

    public byte[] SessionId { get; private set; } = [];

    public bool IsEstablished => _state == State.Established;

    public bool PeerClosed { get; private set; }

    /// <summary>The magic followed by the first ClientHello (§2, §5.1).</summary>
    public byte[] Start()
    {
        _clientHelloBody = ClientHelloBody([.. _ephemeral.Keys]);
        var message = HandshakeMessage(1, _clientHelloBody);
        _transcript.AddRange(message);
        return [.. Magic, .. Record(0x16, message)];
    }

    /// <summary>Consumes server bytes; returns the bytes to send back (possibly empty).</summary>
    public byte[] Receive(ReadOnlySpan<byte> data, List<(byte Kind, ulong Id, byte[] Payload)>? messages = null)
    {
        _inbox.AddRange(data.ToArray());
        var output = new List<byte>();
        while (_inbox.Count >= 3)
        {
            var length = (_inbox[1] << 8) | _inbox[2];
            if (_inbox.Count < 3 + length)
            {
                break;
            }

            var record = _inbox.GetRange(0, 3 + length).ToArray();
            _inbox.RemoveRange(0, 3 + length);
            output.AddRange(OnRecord(record, messages));
        }

        return [.. output];
    }

    /// <summary>One request carrying <paramref name="payload"/> in a single record (§8.3).</summary>
    public byte[] SealRequest(ReadOnlySpan<byte> payload)
    {
        RequireEstablished();
        var content = new byte[14 + payload.Length];
        content[0] = 1;    // kind = request
        content[1] = 0;    // flags
        BinaryPrimitives.WriteUInt64BigEndian(content.AsSpan(2), _nextRequestId++);
        BinaryPrimitives.WriteUInt32BigEndian(content.AsSpan(10), (uint)payload.Length);
        payload.CopyTo(content.AsSpan(14));
        return _send!.Seal(content, 0x17);
    }

    /// <summary>close_notify: a protected alert `01 00` (§8.7).</summary>
    public byte[] SealCloseNotify()
    {
        RequireEstablished();
        return _send!.Seal([1, 0], 0x15);
    }

    public void Dispose()
    {
        foreach (var key in _ephemeral.Values)
        {
            key.Dispose();
        }

        _serverKey?.Dispose();
    }

    private void RequireEstablished()
    {
        if (_state != State.Established)
        {
            throw new InvalidOperationException("handshake not complete");
        }
    }

    private byte[] OnRecord(byte[] record, List<(byte Kind, ulong Id, byte[] Payload)>? messages)
    {
        var type = record[0];
        var body = record.AsSpan(3);
        var first = ++_recordsReceived == 1;
        switch (type)
        {
            // §4: server_busy counts as a refusal only as the server's first record; otherwise it is just fatal.
            case 0x15 when first && body.Length == 2 && body[1] == ServerBusyAlert:
                throw new SpecFailure("server busy: refused at capacity, retry later", body[1], serverBusy: true);
            case 0x15:
                throw new SpecFailure($"server sent plaintext alert {body[1]}", body[1]);
            case 0x16 when _state == State.AwaitingServerHello:
                return OnPlaintextHandshake(body);
            case 0x17 when _receive is not null:
                var (content, inner) = _receive.Open(record);
                return inner switch
                {
                    0x16 => OnProtectedHandshake(content),
                    0x15 => OnAlert(content),
                    0x17 when _state == State.Established => OnApplication(content, messages),
                    _ => throw new SpecFailure($"inner type {inner} in state {_state}"),
                };
            default:
                throw new SpecFailure($"record type {type} in state {_state}");
        }
    }

    private byte[] OnAlert(byte[] content)
    {
        if (content.Length != 2)
        {
            throw new SpecFailure("alert not 2 bytes");
        }

        if (content[1] == 0)
        {
            PeerClosed = true;
            _state = State.Closed;
            return [];
        }

        throw new SpecFailure($"server sent protected alert {content[1]}", content[1]);
    }

    private static byte[] OnApplication(byte[] content, List<(byte Kind, ulong Id, byte[] Payload)>? messages)
    {
        // §8.3: kind u8 ‖ flags u8 ‖ id u64 ‖ length u32 ‖ payload (single-record messages only here).
        if (content.Length < 14)
        {
            throw new SpecFailure("short application message");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(10));
        if (length != content.Length - 14)
        {
            throw new SpecFailure("fragmented messages are out of scope for the spec client");
        }

        messages?.Add((content[0], BinaryPrimitives.ReadUInt64BigEndian(content.AsSpan(2)), content[14..]));
        return [];
    }

    private byte[] OnPlaintextHandshake(ReadOnlySpan<byte> body)
    {
        var (msgType, msgBody, total) = ReadMessage(body);
        if (total != body.Length)
        {
            throw new SpecFailure("ServerHello/HRR must end its record");
        }

        var message = body[..total].ToArray();
        var r = new Reader(msgBody);
        if (msgType == 6)
        {
            // §5.3 HelloRetryRequest = version u16 ‖ suite u16 ‖ group u16
            if (_hrrSeen)
            {
                throw new SpecFailure("second HRR");
            }

            _hrrSeen = true;
            var version = r.U16();
            var suite = r.U16();
            var group = r.U16();
            r.End();
            if (version != 1 || !_suites.Contains(suite) || !_groups.Contains(group) || _ephemeral.ContainsKey(group))
            {
                throw new SpecFailure("bad HRR");
            }

            SetSuite(suite);

            // §7.2: ClientHello1 → FE ‖ u16 Hlen ‖ H(ClientHello1); magic stays in front.
            var ch1 = _transcript.Skip(Magic.Length).ToArray();
            var messageHash = CryptographicOperations.HashData(_hash, ch1);
            _transcript.Clear();
            _transcript.AddRange(Magic);
            _transcript.AddRange(HandshakeMessage(0xFE, messageHash));
            _transcript.AddRange(message);

            foreach (var key in _ephemeral.Values)
            {
                key.Dispose();
            }

            _ephemeral.Clear();
            _ephemeral[group] = ECDiffieHellman.Create(Curve(group));
            _clientHelloBody = ClientHelloBody([group]);
            var ch2 = HandshakeMessage(1, _clientHelloBody);
            _transcript.AddRange(ch2);
            return Record(0x16, ch2);
        }

        if (msgType != 2)
        {
            throw new SpecFailure($"expected ServerHello, got {msgType}");
        }

        // §5.2 ServerHello = random[32] ‖ version ‖ suite ‖ group ‖ share vector16
        var random = r.Bytes(32);
        var v = r.U16();
        var s = r.U16();
        var g = r.U16();
        var share = r.Vector16();
        r.End();
        if (v != 1 || !_suites.Contains(s) || (_hrrSeen && s != _suite) || !_ephemeral.TryGetValue(g, out var mine))
        {
            throw new SpecFailure("ServerHello chose something not offered");
        }

        if (random.AsSpan(24).SequenceEqual("SAPDGRD\x01"u8))
        {
            // Our highest version is the chosen one, so §6.3 says the sentinel is not our concern.
        }

        SetSuite(s);
        Group = g;
        _transcript.AddRange(message);

        // §9.2 then §7.3
        var z = DeriveZ(mine, g, share);
        var zero = new byte[_hashLength];
        var early = HKDF.Extract(_hash, zero, zero);
        var hs = HKDF.Extract(_hash, z, DeriveSecret(early, "derived", []));
        _cHs = DeriveSecret(hs, "c hs traffic", _transcript);
        _sHs = DeriveSecret(hs, "s hs traffic", _transcript);
        _master = HKDF.Extract(_hash, zero, DeriveSecret(hs, "derived", []));
        CryptographicOperations.ZeroMemory(z);
        _receive = new Direction(this, _sHs);
        _state = State.AwaitingServerParams;
        return [];
    }

    private byte[] OnProtectedHandshake(byte[] content)
    {
        var offset = 0;
        var output = new List<byte>();
        while (offset < content.Length)
        {
            var (msgType, body, total) = ReadMessage(content.AsSpan(offset));
            var message = content.AsSpan(offset, total).ToArray();
            offset += total;
            output.AddRange(OnServerMessage(msgType, body, message, last: offset == content.Length));
        }

        return [.. output];
    }

    private byte[] OnServerMessage(byte msgType, byte[] body, byte[] message, bool last)
    {
        var r = new Reader(body);
        switch (_state)
        {
            case State.AwaitingServerParams when msgType == 8:
                // §5.4
                _clientAuth = r.U8();
                var maxMessage = r.U32();
                var signatures = r.U8();
                _serverAcceptedSchemes = r.ListU16();
                var extensions = r.U8();
                for (var i = 0; i < extensions; i++)
                {
                    r.U16();
                    r.Vector16();
                }

                r.End();
                if (_clientAuth > 2 || maxMessage == 0 || signatures > 1)
                {
                    throw new SpecFailure("ServerParams out of range");
                }

                _transcript.AddRange(message);
                _state = State.AwaitingServerIdentity;
                return [];

            case State.AwaitingServerIdentity when msgType == 11:
                // §5.5, §9.1
                var spki = r.Vector16();
                r.End();
                _serverKey = RSA.Create();
                _serverKey.ImportSubjectPublicKeyInfo(spki, out var read);
                if (read != spki.Length || _serverKey.KeySize < 2048 || _serverKey.KeySize > 4096)
                {
                    throw new SpecFailure("bad server SPKI");
                }

                _serverSpki = spki;
                _transcript.AddRange(message);
                _state = State.AwaitingServerSignature;
                return [];

            case State.AwaitingServerSignature when msgType == 15:
                // §5.6, §6.4
                var scheme = r.U16();
                var signature = r.Vector16();
                r.End();
                if (!_schemes.Contains(scheme))
                {
                    throw new SpecFailure("server signature scheme not offered");
                }

                var signed = SignedContent("SecureActors v1, server signature", Th(_transcript));
                if (!_serverKey!.VerifyData(signed, signature, SchemeHash(scheme), RSASignaturePadding.Pss))
                {
                    throw new SpecFailure("server signature does not verify");
                }

                _transcript.AddRange(message);
                _state = State.AwaitingServerFinished;
                return [];

            case State.AwaitingServerFinished when msgType == 20:
                // §5.7, §7.3
                if (!last)
                {
                    throw new SpecFailure("server Finished not last in record");
                }

                var expected = Hmac(ExpandLabel(_sHs, "finished", [], _hashLength), Th(_transcript));
                if (!CryptographicOperations.FixedTimeEquals(expected, body))
                {
                    throw new SpecFailure("server Finished wrong");
                }

                _transcript.AddRange(message);
                return ClientFlight();

            default:
                throw new SpecFailure($"message {msgType} in state {_state}");
        }
    }

    private byte[] ClientFlight()
    {
        // §7.3: application secrets hash through ServerFinished.
        var thServerFinished = _transcript.ToArray();
        var cAp = DeriveSecret(_master, "c ap traffic", thServerFinished);
        var sAp = DeriveSecret(_master, "s ap traffic", thServerFinished);
        SessionId = ExpandLabel(DeriveSecret(_master, "exp master", thServerFinished), "session id", [], 16);

        // §6.2, §6.5: the flight under c_hs; Identity/Signature only when client_auth ≠ none.
        var flight = new List<byte>();
        if (_clientAuth != 0)
        {
            var spki = _clientKey?.ExportSubjectPublicKeyInfo() ?? [];
            var identity = HandshakeMessage(11, [.. U16(spki.Length), .. spki]);
            _transcript.AddRange(identity);
            flight.AddRange(identity);
            if (_clientKey is not null)
            {
                var scheme = _schemes.First(_serverAcceptedSchemes.Contains);
                var sig = _clientKey.SignData(SignedContent("SecureActors v1, client signature", Th(_transcript)), SchemeHash(scheme), RSASignaturePadding.Pss);
                var signature = HandshakeMessage(15, [.. U16(scheme), .. U16(sig.Length), .. sig]);
                _transcript.AddRange(signature);
                flight.AddRange(signature);
            }
        }

        var verify = Hmac(ExpandLabel(_cHs, "finished", [], _hashLength), Th(_transcript));
        var finished = HandshakeMessage(20, verify);
        _transcript.AddRange(finished);
        flight.AddRange(finished);

        var output = new Direction(this, _cHs).Seal([.. flight], 0x16);
        _send = new Direction(this, cAp);
        _receive = new Direction(this, sAp);
        _state = State.Established;
        return output;
    }

    private byte[] ClientHelloBody(ushort[] shareGroups)
    {
        // §5.1
        var b = new List<byte>(_random);
        b.AddRange(ListU16([1]));
        b.AddRange(ListU16(_suites));
        b.AddRange(ListU16(_groups));
        b.Add((byte)shareGroups.Length);
        foreach (var g in shareGroups)
        {
            var q = _ephemeral[g].ExportParameters(false).Q;
            byte[] point = [0x04, .. q.X!, .. q.Y!];
            b.AddRange(U16(g));
            b.AddRange(U16(point.Length));
            b.AddRange(point);
        }

        b.AddRange(ListU16(_schemes));
        b.Add(0);   // no extensions
        return [.. b];
    }

    private static byte[] DeriveZ(ECDiffieHellman mine, ushort group, byte[] share)
    {
        var size = group == 0x0017 ? 32 : 48;
        if (share.Length != 1 + (2 * size) || share[0] != 0x04)
        {
            throw new SpecFailure("bad server share");
        }

        using var peer = ECDiffieHellman.Create(new ECParameters
        {
            Curve = Curve(group),
            Q = new ECPoint { X = share[1..(1 + size)], Y = share[(1 + size)..] },
        });
        return mine.DeriveRawSecretAgreement(peer.PublicKey);
    }

    private void SetSuite(ushort suite)
    {
        _suite = suite;
        (_hash, _hashLength) = suite == 0x1302 ? (HashAlgorithmName.SHA384, 48) : (HashAlgorithmName.SHA256, 32);
    }

    private byte[] Th(IEnumerable<byte> messages) => CryptographicOperations.HashData(_hash, messages.ToArray());

    private byte[] DeriveSecret(byte[] secret, string label, IEnumerable<byte> messages) =>
        ExpandLabel(secret, label, Th(messages), _hashLength);

    private byte[] ExpandLabel(byte[] secret, string label, byte[] context, int length)
    {
        // §7.1 HkdfLabel = length u16 ‖ u8 len("sap1 " + label) ‖ "sap1 " + label ‖ u8 len(context) ‖ context
        var fullLabel = Encoding.ASCII.GetBytes("sap1 " + label);
        byte[] info = [.. U16(length), (byte)fullLabel.Length, .. fullLabel, (byte)context.Length, .. context];
        return HKDF.Expand(_hash, secret, length, info);
    }

    private byte[] Hmac(byte[] key, byte[] data) =>
        _hashLength == 48 ? HMACSHA384.HashData(key, data) : HMACSHA256.HashData(key, data);

    private static byte[] SignedContent(string context, byte[] th) =>
        [.. Enumerable.Repeat((byte)0x20, 64), .. Encoding.ASCII.GetBytes(context), 0x00, .. th];

    private static HashAlgorithmName SchemeHash(ushort scheme) => scheme switch
    {
        0x0804 => HashAlgorithmName.SHA256,
        0x0805 => HashAlgorithmName.SHA384,
        0x0806 => HashAlgorithmName.SHA512,
        _ => throw new SpecFailure("unknown scheme"),
    };

    private static ECCurve Curve(ushort group) => group switch
    {
        0x0017 => ECCurve.NamedCurves.nistP256,
        0x0018 => ECCurve.NamedCurves.nistP384,
        _ => throw new SpecFailure("spec client does ECDHE only"),
    };

    private static (byte Type, byte[] Body, int Total) ReadMessage(ReadOnlySpan<byte> data)
    {
        // §5: msg_type u8 ‖ length u16 ‖ body
        if (data.Length < 3)
        {
            throw new SpecFailure("short message header");
        }

        var length = (data[1] << 8) | data[2];
        if (length == 0 || data.Length < 3 + length)
        {
            throw new SpecFailure("bad message length");
        }

        return (data[0], data.Slice(3, length).ToArray(), 3 + length);
    }

    private static byte[] HandshakeMessage(byte type, byte[] body) => [type, .. U16(body.Length), .. body];

    private static byte[] Record(byte type, byte[] body) => [type, .. U16(body.Length), .. body];

    private static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];

    private static byte[] ListU16(ushort[] values) => [(byte)values.Length, .. values.SelectMany(v => U16(v))];

    /// <summary>One direction's AEAD state (§8.2).</summary>
    private sealed class Direction(SpecClient owner, byte[] secret)
    {
        private readonly byte[] _key = owner.ExpandLabel(secret, "key", [], owner._suite == 0x1301 ? 16 : 32);
        private readonly byte[] _iv = owner.ExpandLabel(secret, "iv", [], 12);
        private readonly ushort _suite = owner._suite;
        private ulong _seq;

        public byte[] Seal(byte[] content, byte innerType)
        {
            byte[] plaintext = [.. content, innerType];
            byte[] header = [0x17, .. U16(plaintext.Length + 16)];
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[16];
            var nonce = Nonce();
            if (_suite == 0x1303)
            {
                using var aead = new ChaCha20Poly1305(_key);
                aead.Encrypt(nonce, plaintext, ciphertext, tag, header);
            }
            else
            {
                using var aead = new AesGcm(_key, 16);
                aead.Encrypt(nonce, plaintext, ciphertext, tag, header);
            }

            return [.. header, .. ciphertext, .. tag];
        }

        public (byte[] Content, byte InnerType) Open(byte[] record)
        {
            var header = record.AsSpan(0, 3);
            var ciphertext = record.AsSpan(3, record.Length - 3 - 16);
            var tag = record.AsSpan(record.Length - 16);
            var plaintext = new byte[ciphertext.Length];
            var nonce = Nonce();
            if (_suite == 0x1303)
            {
                using var aead = new ChaCha20Poly1305(_key);
                aead.Decrypt(nonce, ciphertext, tag, plaintext, header);
            }
            else
            {
                using var aead = new AesGcm(_key, 16);
                aead.Decrypt(nonce, ciphertext, tag, plaintext, header);
            }

            // §8.2: the inner type is the last non-zero byte.
            var end = plaintext.Length - 1;
            while (end >= 0 && plaintext[end] == 0)
            {
                end--;
            }

            if (end < 0)
            {
                throw new SpecFailure("all-zero inner plaintext");
            }

            return (plaintext[..end], plaintext[end]);
        }

        private byte[] Nonce()
        {
            // §8.2 nonce = iv XOR (0x00 × 4 ‖ seq u64)
            var nonce = (byte[])_iv.Clone();
            Span<byte> seq = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(seq, _seq++);
            for (var i = 0; i < 8; i++)
            {
                nonce[4 + i] ^= seq[i];
            }

            return nonce;
        }
    }

    /// <summary>A strict cursor: every read checks the length; <see cref="End"/> rejects trailing bytes.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public byte U8() => Bytes(1)[0];

        public ushort U16() => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));

        public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4));

        public byte[] Vector16() => Bytes(U16());

        public ushort[] ListU16()
        {
            var count = U8();
            var values = new ushort[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = U16();
            }

            return values;
        }

        public byte[] Bytes(int n)
        {
            if (_rest.Length < n)
            {
                throw new SpecFailure("message shorter than its fields");
            }

            var value = _rest[..n].ToArray();
            _rest = _rest[n..];
            return value;
        }

        public readonly void End()
        {
            if (!_rest.IsEmpty)
            {
                throw new SpecFailure("trailing bytes");
            }
        }
    }
}
