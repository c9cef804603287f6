using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using SecureActors.Protocol;

namespace SecureActors.Server.Tests.Hostile;

/*
 * A second SAP/1 client (PROTOCOL.md §2–8) that can break the protocol on purpose (ProtocolBugs),
 * in the BoGo shim's spirit. It talks to a real server over a loopback socket. Every step is a
 * method, so a test composes the exact byte sequence it needs:
 *
 *   SendClientHelloAsync ─► ReadServerHelloAsync ─► ReadServerFlightAsync ─► SendClientFlightAsync
 *   ─► SendRequestAsync / ReadReplyAsync … ─► CloseAsync            (or ExpectAlertAsync at any point)
 *
 * The peer keeps what it saw and sent (ServerHelloRecord, ServerFlightRecords, ClientFlightRecord)
 * so that replay and reflection tests can resend them. Every read has a deadline.
 */

/// <summary>Outcome of waiting for the server's first answer.</summary>
internal enum ServerHelloKind
{
    ServerHello,
    HelloRetryRequest,
    Alert,
}

/// <summary>A hostile SAP/1 client over a loopback socket (test code, not product).</summary>
internal sealed class HostilePeer : IAsyncDisposable
{
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(8);
    private static readonly byte[] Magic = "SECACTR\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly List<byte[]> _transcript = [];
    private readonly Dictionary<ushort, ECDiffieHellman> _keys = [];
    private byte[]? _firstHello;
    private PeerSuite? _suite;
    private byte[]? _clientHandshakeSecret;
    private byte[]? _clientAppSecret;
    private byte[]? _serverAppSecret;
    private byte[] _pending = [];
    private ulong _nextRequestId = 1;

    private HostilePeer(Socket socket, ProtocolBugs bugs)
    {
        _socket = socket;
        Bugs = bugs;
    }

    public ProtocolBugs Bugs { get; set; }

    public Socket Socket => _socket;

    /// <summary>Our end of the connection, as the server logs it ("127.0.0.1:port").</summary>
    public string LocalEndpoint => _socket.LocalEndPoint!.ToString()!;

    /// <summary>Keys for what we send (c_hs during the flight, then c_ap_N).</summary>
    public PeerTrafficKeys? Send { get; private set; }

    /// <summary>Keys for what we receive (s_hs during the flight, then s_ap_N).</summary>
    public PeerTrafficKeys? Receive { get; private set; }

    /// <summary>KeyUpdates the server sent us (each applied as it was read).</summary>
    public int ServerKeyUpdates { get; private set; }

    public byte ClientAuth { get; private set; }

    public byte[] ServerSpki { get; private set; } = [];

    public byte[] ServerSignature { get; private set; } = [];

    public byte[] ServerHelloRecord { get; private set; } = [];

    public List<byte[]> ServerFlightRecords { get; } = [];

    public byte[] ClientFlightRecord { get; private set; } = [];

    /// <summary>The last record read from the server, exactly as it arrived.</summary>
    public byte[] LastRecord { get; private set; } = [];

    /// <summary>The alert we saw and whether it came protected; set by <see cref="ReadAlertAsync"/>.</summary>
    public (AlertDescription Alert, bool Protected)? AlertSeen { get; private set; }

    public static async Task<HostilePeer> ConnectAsync(IPEndPoint server, ProtocolBugs? bugs = null, IPAddress? localAddress = null, int receiveBuffer = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (receiveBuffer > 0)
            {
                socket.ReceiveBufferSize = receiveBuffer;
            }

            if (localAddress is not null)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
            }

            using var timeout = new CancellationTokenSource(ReadTimeout);
            await socket.ConnectAsync(server, timeout.Token);
            return new HostilePeer(socket, bugs ?? ProtocolBugs.None);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A complete, honest (unless bugged) handshake; asserts it succeeded.</summary>
    public static async Task<HostilePeer> EstablishAsync(IPEndPoint server, ProtocolBugs? bugs = null)
    {
        var peer = await ConnectAsync(server, bugs);
        try
        {
            await peer.HandshakeAsync();
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    public async Task HandshakeAsync()
    {
        await SendClientHelloAsync();
        var kind = await ReadServerHelloAsync();
        Assert.True(kind == ServerHelloKind.ServerHello, $"expected ServerHello, got {kind} {AlertSeen}");
        await ReadServerFlightAsync();
        await SendClientFlightAsync();
    }

    // ------------------------------------------------------------------ raw I/O

    public Task SendAsync(byte[] bytes) => SendAsync(bytes.AsMemory());

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        if (!Bugs.OneBytePerWrite)
        {
            await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
            return;
        }

        for (var i = 0; i < bytes.Length; i++)
        {
            await _socket.SendAsync(bytes.Slice(i, 1), SocketFlags.None, timeout.Token);
        }
    }

    public Task SendMagicAsync() => SendAsync(Magic);

    public static byte[] Record(byte type, ReadOnlySpan<byte> body)
    {
        var record = new byte[3 + body.Length];
        record[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(1), (ushort)body.Length);
        body.CopyTo(record.AsSpan(3));
        return record;
    }

    public static byte[] Message(byte type, ReadOnlySpan<byte> body)
    {
        var message = new byte[3 + body.Length];
        message[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(1), (ushort)body.Length);
        body.CopyTo(message.AsSpan(3));
        return message;
    }

    /// <summary>Reads one whole record (header ‖ body); null at end of stream or reset.</summary>
    public async Task<byte[]?> ReadRecordAsync(TimeSpan? timeout = null)
    {
        var header = await ReadExactAsync(3, timeout ?? ReadTimeout);
        if (header is null)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(1));
        var body = length == 0 ? [] : await ReadExactAsync(length, timeout ?? ReadTimeout);
        if (body is null)
        {
            throw new EndOfStreamException("server closed mid-record");
        }

        LastRecord = [.. header, .. body];
        return LastRecord;
    }

    /// <summary>Puts a record read too early back in front of the input.</summary>
    public void Unread(byte[] record) => _pending = [.. record, .. _pending];

    /// <summary>Asserts that the server closes (FIN or RST) within <paramref name="within"/> without sending anything more.</summary>
    public async Task ExpectEofAsync(TimeSpan? within = null)
    {
        var buffer = new byte[1];
        var read = await ReceiveAsync(buffer, within ?? ReadTimeout);
        Assert.True(read == 0, $"expected the server to close, but it sent byte 0x{buffer[0]:x2}");
    }

    private async Task<byte[]?> ReadExactAsync(int count, TimeSpan timeout)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_pending.Length > 0)
            {
                var take = Math.Min(_pending.Length, count - filled);
                _pending.AsSpan(0, take).CopyTo(result.AsSpan(filled));
                _pending = _pending[take..];
                filled += take;
                continue;
            }

            var read = await ReceiveAsync(result.AsMemory(filled), timeout);
            if (read == 0)
            {
                return filled == 0 ? null : throw new EndOfStreamException("server closed mid-record");
            }

            filled += read;
        }

        return result;
    }

    private async Task<int> ReceiveAsync(Memory<byte> buffer, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return 0;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no answer from the server within {timeout.TotalSeconds:F1} s");
        }
    }

    // ------------------------------------------------------------------ ClientHello

    /// <summary>The ClientHello message (header included) as the knobs describe it; generates fresh shares once.</summary>
    public byte[] BuildClientHello(bool retry = false, ushort[]? shareGroups = null)
    {
        var b = Bugs;
        var body = new List<byte>();
        body.AddRange(_firstHello is not null && retry ? _firstHello.AsSpan(3, 32).ToArray() : RandomNumberGenerator.GetBytes(32));
        AddList(body, b.Versions);
        AddList(body, b.Suites);
        AddList(body, b.Groups);
        var shares = new List<(ushort Group, byte[] Share)>();
        foreach (var group in shareGroups ?? b.ShareGroups)
        {
            shares.Add((group, PublicShare(group)));
        }

        if (shares.Count > 0 && !retry)
        {
            shares[0] = (b.ShareLabel ?? shares[0].Group, b.ShareBytes ?? shares[0].Share);
        }

        if (!retry)
        {
            shares.AddRange(b.ExtraShares);
        }

        body.Add((byte)shares.Count);
        foreach (var (group, share) in shares)
        {
            AddU16(body, group);
            AddU16(body, (ushort)share.Length);
            body.AddRange(share);
        }

        AddList(body, b.SignatureSchemes);
        body.Add((byte)b.Extensions.Length);
        foreach (var (type, data) in b.Extensions)
        {
            AddU16(body, type);
            AddU16(body, (ushort)data.Length);
            body.AddRange(data);
        }

        body.AddRange(b.ClientHelloTrailing);
        return Message(1, body.ToArray());
    }

    /// <summary>Magic (first time only) and the ClientHello in one record, optionally followed by more bytes in the same segment.</summary>
    public async Task SendClientHelloAsync(byte[]? hello = null, byte[]? sameSegment = null, bool withMagic = true)
    {
        hello ??= BuildClientHello();
        _transcript.Add(hello);
        _firstHello ??= hello;
        byte[] bytes = [.. withMagic ? Magic : [], .. Record(0x16, hello), .. sameSegment ?? []];
        await SendAsync(bytes);
    }

    /// <summary>After a HelloRetryRequest: the same hello with exactly one share for <paramref name="group"/> (or none).</summary>
    public Task SendSecondClientHelloAsync(ushort? group) =>
        SendClientHelloAsync(BuildClientHello(retry: true, shareGroups: group is { } g ? [g] : []), withMagic: false);

    /// <summary>Reads the server's first record: ServerHello (keys derived), HelloRetryRequest (transcript rewritten) or an alert.</summary>
    public async Task<ServerHelloKind> ReadServerHelloAsync()
    {
        var record = await ReadRecordAsync() ?? throw new EndOfStreamException("server closed instead of answering the ClientHello");
        if (record[0] == 0x15)
        {
            AlertSeen = ((AlertDescription)record[4], false);
            return ServerHelloKind.Alert;
        }

        Assert.Equal(0x16, record[0]);
        var message = record[3..];
        if (message[0] == 6)
        {
            // HRR: version u16 ‖ suite u16 ‖ group u16; ClientHello1 becomes message_hash (§7.2).
            var suite = PeerSuite.For(BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(5)));
            var hash = suite.HashOf(_transcript[0]);
            _transcript.Clear();
            _transcript.Add([0xFE, 0, (byte)suite.HashLength, .. hash]);
            _transcript.Add(message);
            RetryGroup = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(7));
            return ServerHelloKind.HelloRetryRequest;
        }

        Assert.Equal(2, message[0]);
        ServerHelloRecord = record;
        _transcript.Add(message);
        var body = message.AsSpan(3);
        _suite = PeerSuite.For(BinaryPrimitives.ReadUInt16BigEndian(body[34..]));
        var group = BinaryPrimitives.ReadUInt16BigEndian(body[36..]);
        var shareLength = BinaryPrimitives.ReadUInt16BigEndian(body[38..]);
        var serverShare = body.Slice(40, shareLength).ToArray();
        var z = SharedSecret(group, serverShare);

        var s = _suite;
        var zeros = new byte[s.HashLength];
        var early = s.Extract(zeros, zeros);
        var hs = s.Extract(s.DeriveSecret(early, "derived", s.HashOf([])), z);
        var th = TranscriptHash();
        _clientHandshakeSecret = s.DeriveSecret(hs, "c hs traffic", th);
        Receive = new PeerTrafficKeys(s, s.DeriveSecret(hs, "s hs traffic", th));
        Send = new PeerTrafficKeys(s, _clientHandshakeSecret);
        _masterSalt = s.DeriveSecret(hs, "derived", s.HashOf([]));
        return ServerHelloKind.ServerHello;
    }

    public ushort RetryGroup { get; private set; }

    private byte[] _masterSalt = [];

    /// <summary>Reads and verifies ServerParams, Identity, Signature and Finished under s_hs, then moves to the application keys.</summary>
    public async Task ReadServerFlightAsync()
    {
        var s = _suite!;
        var finished = false;
        for (var records = 0; !finished && records < 8; records++)
        {
            var record = await ReadRecordAsync() ?? throw new EndOfStreamException("server closed during its flight");
            if (record[0] == 0x15)
            {
                AlertSeen = ((AlertDescription)record[4], false);
                throw new InvalidOperationException($"server sent alert {AlertSeen} instead of its flight");
            }

            ServerFlightRecords.Add(record);
            var opened = Receive!.Open(record) ?? throw new InvalidOperationException("server flight does not open under s_hs");
            Assert.Equal(0x16, opened.Type);
            var content = opened.Content;
            for (var offset = 0; offset < content.Length;)
            {
                var length = BinaryPrimitives.ReadUInt16BigEndian(content.AsSpan(offset + 1));
                var message = content.AsSpan(offset, 3 + length).ToArray();
                var body = message.AsSpan(3);
                offset += message.Length;
                switch (message[0])
                {
                    case 8:
                        ClientAuth = body[0];
                        break;
                    case 11:
                        ServerSpki = body[2..].ToArray();
                        break;
                    case 15:
                    {
                        var scheme = BinaryPrimitives.ReadUInt16BigEndian(body);
                        ServerSignature = body[4..].ToArray();
                        using var rsa = RSA.Create();
                        rsa.ImportSubjectPublicKeyInfo(ServerSpki, out _);
                        var signed = SignedContent("SecureActors v1, server signature", TranscriptHash());
                        Assert.True(rsa.VerifyData(signed, ServerSignature, SchemeHash(scheme), RSASignaturePadding.Pss), "server signature does not verify");
                        break;
                    }

                    case 20:
                        Assert.True(body.SequenceEqual(s.Finished(Receive.Secret, TranscriptHash())), "server Finished does not verify");
                        finished = true;
                        break;
                    default:
                        throw new InvalidOperationException($"unexpected message {message[0]} in the server flight");
                }

                _transcript.Add(message);
            }
        }

        Assert.True(finished, "no server Finished");
        var master = s.Extract(_masterSalt, new byte[s.HashLength]);
        var th = TranscriptHash();
        _clientAppSecret = s.DeriveSecret(master, "c ap traffic", th);
        _serverAppSecret = s.DeriveSecret(master, "s ap traffic", th);

        // From here the server sends with s_ap_0, alerts about our flight included (§6.5).
        Receive = new PeerTrafficKeys(s, _serverAppSecret);
    }

    /// <summary>The client flight sealed under c_hs, with the knobs applied; afterwards we send with c_ap_0.</summary>
    public byte[] BuildClientFlight()
    {
        var s = _suite!;
        var b = Bugs;
        var output = new List<byte>();
        if (b.AppDataBeforeFinished)
        {
            output.AddRange(Send!.Seal(AppMessage(1, 1, "early"u8), 0x17));
        }

        var messages = new List<byte>();
        if (ClientAuth != 0)
        {
            var spki = b.IdentitySpki ?? b.ClientKey?.ExportSubjectPublicKeyInfo() ?? [];
            var identity = Message(11, [(byte)(spki.Length >> 8), (byte)spki.Length, .. spki]);
            _transcript.Add(identity);
            messages.AddRange(identity);
            if (spki.Length > 0 && !b.SkipSignature)
            {
                var content = SignedContent("SecureActors v1, client signature", TranscriptHash());
                var key = b.SignWith ?? b.ClientKey;
                var signature = b.SignatureBytes
                    ?? (b.Signer is { } signer ? signer(key!, content) : key!.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
                var message = Message(15, [(byte)(b.SignatureScheme >> 8), (byte)b.SignatureScheme, (byte)(signature.Length >> 8), (byte)signature.Length, .. signature]);
                _transcript.Add(message);
                messages.AddRange(message);
            }
        }

        var verify = s.Finished(_clientHandshakeSecret!, TranscriptHash());
        verify = b.Finished switch
        {
            FinishedBug.BitFlip => FlipFirstBit(verify),
            FinishedBug.Truncate => verify[..^1],
            FinishedBug.Empty => [],
            FinishedBug.Pad => [.. verify, 0],
            _ => verify,
        };
        var finished = Message(20, verify);
        _transcript.Add(finished);
        messages.AddRange(finished);
        messages.AddRange(b.TrailingAfterFinished ?? []);
        var flight = Send!.Seal(messages.ToArray(), 0x16);
        ClientFlightRecord = flight;
        output.AddRange(flight);
        Send = new PeerTrafficKeys(s, _clientAppSecret!);
        return output.ToArray();
    }

    public Task SendClientFlightAsync(byte[]? sameSegment = null) => SendAsync([.. BuildClientFlight(), .. sameSegment ?? []]);

    // ------------------------------------------------------------------ application data

    /// <summary><c>kind u8 ‖ flags u8 ‖ id u64 ‖ length u32 ‖ payload</c> (§8.3).</summary>
    public static byte[] AppMessage(byte kind, ulong id, ReadOnlySpan<byte> payload, uint? declaredLength = null)
    {
        var content = new byte[14 + payload.Length];
        content[0] = kind;
        BinaryPrimitives.WriteUInt64BigEndian(content.AsSpan(2), id);
        BinaryPrimitives.WriteUInt32BigEndian(content.AsSpan(10), declaredLength ?? (uint)payload.Length);
        payload.CopyTo(content.AsSpan(14));
        return content;
    }

    /// <summary>Seals the next request (id 1, 2, …) in one record.</summary>
    public byte[] SealRequest(ReadOnlySpan<byte> payload) => Send!.Seal(AppMessage(1, _nextRequestId++, payload), 0x17);

    public Task SendRequestAsync(string text) => SendAsync(SealRequest(Encoding.UTF8.GetBytes(text)));

    /// <summary>Reads records until a reply arrives (KeyUpdates are applied on the way); fails on an alert or close.</summary>
    public async Task<string> ReadReplyAsync()
    {
        for (var i = 0; i < 64; i++)
        {
            var (type, content) = await ReadProtectedAsync() ?? throw new EndOfStreamException("server closed instead of replying");
            switch (type)
            {
                case 0x17:
                    Assert.Equal(2, content[0]);
                    return Encoding.UTF8.GetString(content.AsSpan(14));
                case 0x15:
                    AlertSeen = ((AlertDescription)content[1], true);
                    throw new InvalidOperationException($"server sent alert {(AlertDescription)content[1]} instead of a reply");
            }
        }

        throw new InvalidOperationException("no reply within 64 records");
    }

    public async Task EchoAsync(string text)
    {
        await SendRequestAsync(text);
        Assert.Equal(text, await ReadReplyAsync());
    }

    /// <summary>Sends close_notify and expects the server's close_notify, then the close (§8.7).</summary>
    public async Task CloseAsync()
    {
        await SendAsync(Send!.Seal([1, 0], 0x15));
        await ExpectAlertAsync(AlertDescription.CloseNotify);
    }

    /// <summary>
    /// Reads until the server's alert: plaintext, or protected under the current receive keys
    /// (KeyUpdates applied, other records skipped, at most 64); asserts its description, then the close.
    /// </summary>
    public async Task ExpectAlertAsync(AlertDescription expected, bool expectProtected)
    {
        var seen = await ReadAlertAsync();
        Assert.True(seen == expected, $"expected alert {expected}, got {(seen is null ? "a close without an alert" : seen.ToString())}");
        Assert.True(AlertSeen!.Value.Protected == expectProtected, $"alert {expected} came {(AlertSeen.Value.Protected ? "protected" : "in plaintext")}");
        await ExpectEofAsync();
    }

    /// <summary>As <see cref="ExpectAlertAsync(AlertDescription, bool)"/>, protected when we have keys from the server.</summary>
    public Task ExpectAlertAsync(AlertDescription expected) => ExpectAlertAsync(expected, Receive is not null);

    /// <summary>The description of the next alert, or null when the server closes without one.</summary>
    public async Task<AlertDescription?> ReadAlertAsync()
    {
        for (var i = 0; i < 64; i++)
        {
            var record = await ReadRecordAsync();
            if (record is null)
            {
                return null;
            }

            if (record[0] == 0x15)
            {
                AlertSeen = ((AlertDescription)record[4], false);
                return AlertSeen.Value.Alert;
            }

            Assert.True(record[0] == 0x17 && Receive is not null, $"unexpected record type 0x{record[0]:x2} while waiting for an alert");
            var opened = Open(record);
            if (opened.Type == 0x15)
            {
                AlertSeen = ((AlertDescription)opened.Content[1], true);
                return AlertSeen.Value.Alert;
            }
        }

        throw new InvalidOperationException("no alert within 64 records");
    }

    private async Task<(byte Type, byte[] Content)?> ReadProtectedAsync()
    {
        var record = await ReadRecordAsync();
        if (record is null)
        {
            return null;
        }

        if (record[0] == 0x15)
        {
            return (0x15, record[3..]);
        }

        return Open(record);
    }

    private (byte Type, byte[] Content) Open(byte[] record)
    {
        var opened = Receive!.Open(record) ?? throw new InvalidOperationException("a server record failed to open under the keys the peer derived");
        if (opened.Type == 0x16 && opened.Content is [24, 0, 1, _])
        {
            Receive.Update();
            ServerKeyUpdates++;
        }

        return opened;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _socket.Dispose();
        await Task.CompletedTask;
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>TH: the magic (prologue) and every handshake message so far (§7.2).</summary>
    public byte[] TranscriptHash() => _suite!.HashOf([.. Magic, .. _transcript.SelectMany(m => m)]);

    public static byte[] SignedContent(string context, ReadOnlySpan<byte> digest) =>
        [.. Enumerable.Repeat((byte)0x20, 64), .. Encoding.ASCII.GetBytes(context), 0, .. digest];

    private static HashAlgorithmName SchemeHash(ushort scheme) => scheme switch
    {
        0x0805 => HashAlgorithmName.SHA384,
        0x0806 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    private static byte[] FlipFirstBit(byte[] value)
    {
        var copy = (byte[])value.Clone();
        copy[0] ^= 0x01;
        return copy;
    }

    private byte[] PublicShare(ushort group)
    {
        if (!_keys.TryGetValue(group, out var key))
        {
            key = ECDiffieHellman.Create(group == 0x0018 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256);
            _keys[group] = key;
        }

        var q = key.ExportParameters(false).Q;
        return [0x04, .. q.X!, .. q.Y!];
    }

    private byte[] SharedSecret(ushort group, byte[] share)
    {
        var key = _keys[group];
        var size = (share.Length - 1) / 2;
        var curve = group == 0x0018 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256;
        using var peer = ECDiffieHellman.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = share[1..(1 + size)], Y = share[(1 + size)..] } });
        return key.DeriveRawSecretAgreement(peer.PublicKey);
    }

    private static void AddU16(List<byte> bytes, ushort value)
    {
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }

    private static void AddList(List<byte> bytes, ushort[] values)
    {
        bytes.Add((byte)values.Length);
        foreach (var value in values)
        {
            AddU16(bytes, value);
        }
    }
}
