using System.Buffers;
using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Crypto;

/// <summary>
/// The whole-handshake known-answer vector of PROTOCOL.md §11.4. §11.1–§11.3 start from given transcript hashes, so
/// an implementation that hashes the wrong messages passes them; this vector runs the reference client and server
/// against each other from fixed inputs and prints every record, message, transcript hash and secret.
/// <para>
/// The wire bytes come from the machines. Everything else (transcript hashes, Z, secrets, keys, verify_data) is
/// recomputed here from the §7 formulas, not read from the machines, and the protected records are opened with
/// those keys: if the machines hashed a different transcript anywhere, the records would not open or their
/// Finished would differ, and <see cref="Compute"/> throws.
/// </para>
/// </summary>
internal static class HandshakeKnownAnswerVectors
{
    /// <summary>
    /// A 2048-bit test key made once with <c>openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048</c> and
    /// published in PROTOCOL.md §11.4, like RFC 8448's keys. It protects nothing.
    /// </summary>
    public const string ServerIdentityKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDrKwJWBQwE+qHO
        OL5vDhvbJWGp6xs1gMxHk/pQtt9DHU+o+2HnmeWfVtInGnZ1fEdRp/1addB4CZl1
        XK4MXyh1Fgq5x0f54UkH+wMtlbFEHq21kjHMSvfyOfp7mO1E2AExlOTetN1BRp7Y
        KGCiPCnQm7BYg4WFvp3Xho8YhuhhFwnaJgNjGCN9khv63nFdgok0vSAREZqNoJXe
        r5v7Uh9EgaldPfwBqsuRKFOQwAgzbb9XsIYdqrkw1zSqbhlhAB+fhY1iByq7HcYP
        5PTO9ZwUTnoaQCx+p4QZunThoK0LGUQDv+XDmoweY0A73FDLhTqEVH1toEMAHouN
        8Jf41SMTAgMBAAECggEAH1cmAoy9o1Q7iB4r0uUQdU4wC9MXVzQJBWkFLQiSDIG1
        ghGuZI0v+uI5M5jlPJcJcipvK0UUOUseNnPZhjCQVbpQR531S6nob7XWIJcYfrmP
        8OjA1jcPgCqV5S7mQAyBbDgpoDx+WBqvRKNs7XITKIf3InS0sLRMmNKH837XLUkB
        Sx6oY20AySfN4oc/DsDRCXqqe+29Gixobl+sii00GebNfefdiRGQNePM0bKLBQ8e
        KepSMMnTrCItn0qqdmVR2bd85RJJHUOMy3swe50AhS26zv0Ul1xLGNm59wZ77Vg2
        lnXS8hNDftzRc+EAWk2uahA5rfeDA/tCjfnYl2bK4QKBgQD8+SEoRMG8LZtkcQF1
        FU7dBAILEOAjlXT1eymlrEzpAQzkPR2Cp91XzOXbtWBGFTkRY87mNSIYsV8k5T+K
        otbqQ9j6wkxpZbsJDV3cW7+o6jWj0hYToosKokBgNlwP5dNd4EjPryFl8xBL1CpX
        7ywAnhJXvKoNxYT1nvACFfMKmwKBgQDt+1dozd45LC/1quSATDEZc75srlniIc5X
        jtdrUk+JLjVrAOaDhgeRNe0nNWBw0lh2HV8DTD+SMgjOITWKbq03fyjVFZUsY7p+
        Mi/8K8QpYk7E6KxdySaLQQ1QYdxbYJgHl3cLh/OQNjfrxGvLoBWsVgfikGRUMiZ+
        +fPoGHs06QKBgGFpPU9YSpG/rhqbOUhwkBGjPXYtZWHOZ18vsfXNxz/h26j3r6lk
        ImNwzwIvcYcLHRKJMF6NDzga9NwsOq+TzNYgkijdMLdVKRRvRTlZSxAsP8N5Xm7p
        JElP+SITTJgCk8WOW/s9IMs1MY1BgZyiyHrkY4PNbl4nNO+v6BOliBUJAoGAN3es
        kN3i3LqC1ySkq46WpxMGIDim9IDioh/F79q4dQXTJ4SHNcKIgvzpsIjNWJ5+RdFk
        stUTwBRvXvP4kbJoJxY5QykLotP/xKgX7ROaXfbu2xBMFHPsyuo3mzOj85xY8vQH
        qCVgzI0GjaozYbuHMaq/nbv/1mv18wR5J/CEzvkCgYB7Bo37lv6Nq+dNt7qLLKFD
        lpPd6rb38t8PkL9U+yGn289DVNz0o7O8uTeVRAfrcKsa8Z78uA1vQZ/hf1QzK7GQ
        RYNGdm42lGxqPsJXcfnDF7SOrtE6oZRrLBZe5SYqOO+Uh2ypbCTCXTvR7+2ysgcd
        xzNODZmXHvrdW9662nSsQA==
        -----END PRIVATE KEY-----
        """;

    /// <summary>
    /// RSA-PSS is randomised (the salt), so the server's signature is fixed too: made once by openssl with
    /// <see cref="ServerIdentityKeyPem"/> over the server's signed content (§6.4, scheme 0x0804), and fed to the
    /// server in place of a fresh one. The vector stays valid because the tests verify it with the public key.
    /// </summary>
    public static readonly byte[] ServerSignature = Convert.FromHexString(
        "3a49e87e365f7d4fe251be26a2f6bb919b48391ca50e694b451fe67a6a3363b4"
        + "0429662d085561ae1b85e1b155e1947de26eee34a3fbc2a44bbdc3af9fd0deb0"
        + "9ea39a34bd94d68d441a33f83be55cef4a81fd910fd66c694889c7198f73717f"
        + "9c15cbae10eeec1187e89e435cbfe02cf39d761a997b8c312b17a69ab803a903"
        + "f38a1413be386b25c4e0c7820ea0162d0a1d778482dbafe8e8aa3a8456c797f1"
        + "029e4d633bc0a31368e34a0131bfdca82c8db311b95b9a5d105503bfa89458dd"
        + "c5fd39a6eac70f046cbb1be39d76fbbf24cd7246cc4b5cf47d34d577b7584352"
        + "209664d81479ef7334b3a7e7038f4f86f9a9bd0e6068158510743a9cc8f7ef5b");

    private const int HexPerLine = 64;

    public static byte[] ClientRandom => KnownAnswerVectors.Pattern(0x00, 32);

    public static byte[] ServerRandom => KnownAnswerVectors.Pattern(0x20, 32);

    public static byte[] ClientEphemeralPrivateKey => KnownAnswerVectors.Pattern(0x40, 32);

    public static byte[] ServerEphemeralPrivateKey => KnownAnswerVectors.Pattern(0x60, 32);

    /// <summary>What crossed the wire, in order, when the reference machines ran from the fixed inputs.</summary>
    /// <param name="ClientHelloWrite">The client's first write: the magic, then the ClientHello record.</param>
    /// <param name="ServerFlight">The server's one write: the ServerHello record, then the protected flight.</param>
    /// <param name="ClientFlight">The client's protected Finished.</param>
    /// <param name="Request">The client's request "hello", id 1, under c_ap_0.</param>
    /// <param name="Reply">The server's echo of it under s_ap_0.</param>
    /// <param name="ClientSessionId">The session id the client reports.</param>
    /// <param name="ServerSessionId">The session id the server reports.</param>
    public sealed record Wire(byte[] ClientHelloWrite, byte[] ServerFlight, byte[] ClientFlight, byte[] Request, byte[] Reply, string ClientSessionId, string ServerSessionId);

    public static LocalIdentity ServerIdentity()
    {
        var key = RSA.Create();
        key.ImportFromPem(ServerIdentityKeyPem);
        return new LocalIdentity(key);
    }

    /// <summary>Runs both reference machines with default options, the fixed randoms, ephemeral keys and signature.</summary>
    public static Wire Run()
    {
        using var identity = ServerIdentity();
        using var client = new ClientHandshake(ProtocolOptions.Default, new PinnedServerTrust(identity.Fingerprint)) { RandomBytes = Fixed(ClientRandom) };
        using var server = new ServerHandshake(ProtocolOptions.Default, identity) { RandomBytes = Fixed(ServerRandom) };
        var spki = identity.Spki.ToArray();

        var clientWrite = new List<byte>();
        var clientStep = Drive(client, client.Start(), ClientEphemeralPrivateKey, spki, clientWrite);
        var clientHelloWrite = clientWrite.ToArray();

        var serverWrite = new List<byte>();
        var serverStep = DeliverAll(server, clientHelloWrite[Prologue.Magic.Length..], ServerEphemeralPrivateKey, spki, serverWrite);
        var serverFlight = serverWrite.ToArray();

        clientWrite.Clear();
        clientStep = DeliverAll(client, serverFlight, ClientEphemeralPrivateKey, spki, clientWrite);
        var clientFlight = clientWrite.ToArray();

        serverWrite.Clear();
        serverStep = DeliverAll(server, clientFlight, ServerEphemeralPrivateKey, spki, serverWrite);
        if (clientStep.Status != HandshakeStatus.Complete || serverStep.Status != HandshakeStatus.Complete || serverWrite.Count != 0)
        {
            throw new InvalidOperationException($"the handshake did not complete: client {clientStep.Status}, server {serverStep.Status}");
        }

        using var clientChannel = clientStep.Result!.Channel;
        using var serverChannel = serverStep.Result!.Channel;
        var wire = new ArrayBufferWriter<byte>();
        if (!clientChannel.TryWriteRequest("hello"u8, wire, out var id))
        {
            throw new InvalidOperationException("the client could not send its request");
        }

        var request = wire.WrittenSpan.ToArray();
        var received = ChannelTestSupport.ReceiveAll(serverChannel, request).Single();
        wire.ResetWrittenCount();
        if (!serverChannel.TryWriteReply(id, received.Payload, wire))
        {
            throw new InvalidOperationException("the server could not send its reply");
        }

        var reply = wire.WrittenSpan.ToArray();
        var echoed = ChannelTestSupport.ReceiveAll(clientChannel, reply).Single();
        if (!echoed.Payload.AsSpan().SequenceEqual("hello"u8))
        {
            throw new InvalidOperationException("the reply is not the echo of the request");
        }

        return new Wire(clientHelloWrite, serverFlight, clientFlight, request, reply, clientStep.Result.SessionId, serverStep.Result.SessionId);
    }

    /// <summary>The lines of PROTOCOL.md's <c>kat:Handshake</c> block: the inputs, then the handshake in wire order.</summary>
    public static List<string> Compute()
    {
        var wire = Run();
        var suite = SuiteParameters.For(CipherSuite.Aes128GcmSha256);
        var hash = suite.Hash;
        var h = suite.HashLength;
        var lines = new List<string>();
        void Add(string name, ReadOnlySpan<byte> value) => lines.AddRange(Format(name, value));

        // Fixed inputs.
        using var identity = ServerIdentity();
        Add("client random", ClientRandom);
        Add("server random", ServerRandom);
        Add("client ephemeral private key", ClientEphemeralPrivateKey);
        Add("server ephemeral private key", ServerEphemeralPrivateKey);
        lines.Add($"server key fingerprint = {identity.Fingerprint}");
        Add("server signature", ServerSignature);
        Add("client share", PublicShare(ClientEphemeralPrivateKey));
        Add("server share", PublicShare(ServerEphemeralPrivateKey));

        // The transcript as §7.2 defines it, kept here rather than taken from the machines.
        var transcript = new List<byte>(Prologue.Magic.ToArray());
        byte[] AppendToTranscript(string after, byte[] message)
        {
            transcript.AddRange(message);
            var th = SHA256.HashData(transcript.ToArray());
            Add($"TH(..{after})", th);
            return th;
        }

        // Client: magic ‖ ClientHello.
        var prologue = wire.ClientHelloWrite[..Prologue.Magic.Length];
        Expect(prologue.AsSpan().SequenceEqual(Prologue.Magic), "the client's first write does not start with the magic");
        var clientRecords = ChannelTestSupport.Records(wire.ClientHelloWrite[Prologue.Magic.Length..]);
        var clientHello = SingleMessage(clientRecords, RecordType.Handshake, HandshakeType.ClientHello, "the client's first write");
        Add("magic", prologue);
        Add("ClientHello", clientHello);
        Add("client record 1, plaintext", clientRecords[0]);
        AppendToTranscript("ClientHello", clientHello);

        // Server: ServerHello in plaintext, then one protected record under s_hs.
        var serverRecords = ChannelTestSupport.Records(wire.ServerFlight);
        Expect(serverRecords.Count == 2, $"the server's flight has {serverRecords.Count} records, expected ServerHello and one protected record");
        var serverHello = SingleMessage(serverRecords[..1], RecordType.Handshake, HandshakeType.ServerHello, "the server's first record");
        Add("ServerHello", serverHello);
        Add("server record 1, plaintext", serverRecords[0]);
        var thServerHello = AppendToTranscript("ServerHello", serverHello);

        var z = SharedSecret(ClientEphemeralPrivateKey, PublicShare(ServerEphemeralPrivateKey));
        Add("Z", z);
        var zeros = new byte[h];
        var early = new byte[h];
        KeySchedule.Extract(hash, zeros, zeros, early);
        var derivedEarly = new byte[h];
        KeySchedule.DeriveSecretEmpty(hash, early, "derived", derivedEarly);
        var hs = new byte[h];
        KeySchedule.Extract(hash, derivedEarly, z, hs);
        Add("hs", hs);
        var cHs = new byte[h];
        var sHs = new byte[h];
        KeySchedule.DeriveSecret(hash, hs, "c hs traffic", thServerHello, cHs);
        KeySchedule.DeriveSecret(hash, hs, "s hs traffic", thServerHello, sHs);
        Add("c_hs", cHs);
        Add("s_hs", sHs);
        AddKeyAndIv("s_hs", sHs);
        AddKeyAndIv("c_hs", cHs);

        var serverFlight = OpenMessages(serverRecords[1], sHs, "the server's protected record under s_hs from TH(..ServerHello)");
        Expect(
            serverFlight.Select(m => (HandshakeType)m[0]).SequenceEqual([HandshakeType.ServerParams, HandshakeType.Identity, HandshakeType.Signature, HandshakeType.Finished]),
            "the server's protected record is not ServerParams, Identity, Signature, Finished");
        Add("ServerParams", serverFlight[0]);
        AppendToTranscript("ServerParams", serverFlight[0]);
        Add("server Identity", serverFlight[1]);
        var thServerIdentity = AppendToTranscript("server Identity", serverFlight[1]);
        Add("server signed content", SignedContent(thServerIdentity));
        Add("server Signature", serverFlight[2]);
        var thServerSignature = AppendToTranscript("server Signature", serverFlight[2]);
        var serverVerifyData = new byte[h];
        KeySchedule.ComputeFinished(hash, sHs, thServerSignature, serverVerifyData);
        Add("server verify_data", serverVerifyData);
        Expect(serverFlight[3].AsSpan(FrameLimits.HandshakeHeaderLength).SequenceEqual(serverVerifyData), "the server's Finished is not HMAC(finished_key(s_hs), TH(..server Signature))");
        Add("server Finished", serverFlight[3]);
        var thServerFinished = AppendToTranscript("server Finished", serverFlight[3]);
        Add("server record 2, s_hs seq 0", serverRecords[1]);

        var derivedHs = new byte[h];
        KeySchedule.DeriveSecretEmpty(hash, hs, "derived", derivedHs);
        var master = new byte[h];
        KeySchedule.Extract(hash, derivedHs, zeros, master);
        Add("master", master);
        var cAp = new byte[h];
        var sAp = new byte[h];
        var exp = new byte[h];
        KeySchedule.DeriveSecret(hash, master, "c ap traffic", thServerFinished, cAp);
        KeySchedule.DeriveSecret(hash, master, "s ap traffic", thServerFinished, sAp);
        KeySchedule.DeriveSecret(hash, master, "exp master", thServerFinished, exp);
        Add("c_ap_0", cAp);
        Add("s_ap_0", sAp);
        var sessionId = new byte[16];
        KeySchedule.ExpandLabel(hash, exp, "session id", [], sessionId);
        Add("session_id", sessionId);
        Expect(
            wire.ClientSessionId == Convert.ToHexStringLower(sessionId) && wire.ServerSessionId == wire.ClientSessionId,
            "the machines' session id is not the one derived from TH(..server Finished)");

        // Client: with client_auth = none its flight is Finished alone, over TH(..server Finished).
        var clientFlightRecords = ChannelTestSupport.Records(wire.ClientFlight);
        Expect(clientFlightRecords.Count == 1, $"the client's flight has {clientFlightRecords.Count} records, expected one");
        var clientFlight = OpenMessages(clientFlightRecords[0], cHs, "the client's protected record under c_hs from TH(..ServerHello)");
        Expect(clientFlight.Count == 1 && clientFlight[0][0] == (byte)HandshakeType.Finished, "the client's flight is not a lone Finished");
        var clientVerifyData = new byte[h];
        KeySchedule.ComputeFinished(hash, cHs, thServerFinished, clientVerifyData);
        Add("client verify_data", clientVerifyData);
        Expect(clientFlight[0].AsSpan(FrameLimits.HandshakeHeaderLength).SequenceEqual(clientVerifyData), "the client's Finished is not HMAC(finished_key(c_hs), TH(..server Finished))");
        Add("client Finished", clientFlight[0]);
        AppendToTranscript("client Finished", clientFlight[0]);
        Add("client record 2, c_hs seq 0", clientFlightRecords[0]);

        // Application data: one request and its echo, each opened under the keys derived above.
        AddKeyAndIv("c_ap_0", cAp);
        AddKeyAndIv("s_ap_0", sAp);
        Add("request 1 \"hello\", content", OpenApplicationData(wire.Request, cAp, "the request under c_ap_0"));
        Add("client record 3, c_ap_0 seq 0", wire.Request);
        Add("reply 1 \"hello\", content", OpenApplicationData(wire.Reply, sAp, "the reply under s_ap_0"));
        Add("server record 3, s_ap_0 seq 0", wire.Reply);
        return lines;

        void AddKeyAndIv(string name, byte[] secret)
        {
            var key = new byte[suite.KeyLength];
            var iv = new byte[12];
            KeySchedule.ExpandLabel(hash, secret, "key", [], key);
            KeySchedule.ExpandLabel(hash, secret, "iv", [], iv);
            Add($"{name} key", key);
            Add($"{name} iv", iv);
        }
    }

    /// <summary>§6.4: <c>0x20 × 64 ‖ "SecureActors v1, server signature" ‖ 0x00 ‖ TH</c>.</summary>
    public static byte[] SignedContent(ReadOnlySpan<byte> transcriptHash) =>
        [.. KnownAnswerVectors.Fill(0x20, 64), .. "SecureActors v1, server signature"u8, 0x00, .. transcriptHash];

    /// <summary><c>name = hex</c>, or for a value longer than one line <c>name =</c> and indented lines of 32 bytes.</summary>
    public static IEnumerable<string> Format(string name, ReadOnlySpan<byte> value)
    {
        var hex = Convert.ToHexStringLower(value);
        return hex.Length <= HexPerLine
            ? [$"{name} = {hex}"]
            : [$"{name} =", .. hex.Chunk(HexPerLine).Select(chunk => "  " + new string(chunk))];
    }

    private static Func<int, byte[]> Fixed(byte[] value) => length =>
        length == value.Length ? value.ToArray() : throw new InvalidOperationException($"asked for {length} random bytes, the vector fixes {value.Length}");

    private static byte[] PublicShare(byte[] privateKey)
    {
        using var key = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = privateKey });
        var q = key.ExportParameters(false).Q;
        return [0x04, .. q.X!, .. q.Y!];
    }

    private static byte[] SharedSecret(byte[] privateKey, byte[] peerShare)
    {
        using var own = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = privateKey });
        using var peer = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = peerShare[1..33], Y = peerShare[33..] },
        });
        using var peerPublic = peer.PublicKey;
        return own.DeriveRawSecretAgreement(peerPublic);
    }

    /// <summary>Feeds each record of <paramref name="bytes"/> to the machine, answering its crypto as <see cref="Drive"/> does.</summary>
    private static HandshakeStep DeliverAll(HandshakeMachine machine, byte[] bytes, byte[] ephemeralPrivateKey, byte[] serverSpki, List<byte> output)
    {
        HandshakeStep? step = null;
        foreach (var record in ChannelTestSupport.Records(bytes))
        {
            step = Drive(machine, machine.Feed(Frame.Create((RecordType)record[0], record.AsMemory(FrameLimits.HeaderLength))), ephemeralPrivateKey, serverSpki, output);
        }

        return step ?? throw new InvalidOperationException("the peer wrote no record");
    }

    /// <summary>
    /// Answers the machine's crypto operations until it needs input: key generation with the pair from the fixed
    /// scalar, the server's signature with the published one, everything else (Z, verification) for real.
    /// </summary>
    private static HandshakeStep Drive(HandshakeMachine machine, HandshakeStep step, byte[] ephemeralPrivateKey, byte[] serverSpki, List<byte> output)
    {
        output.AddRange(step.Output.ToArray());
        while (step.Status == HandshakeStatus.AwaitingCrypto)
        {
            var result = step.Operation switch
            {
                GenerateKeySharesOperation generate when generate.Groups.SequenceEqual([NamedGroup.Secp256r1]) =>
                    new CryptoResult(generate, new List<EphemeralKeyPair> { EcdhKeyPair.FromPrivate(NamedGroup.Secp256r1, ephemeralPrivateKey) }),
                GenerateKeySharesOperation generate =>
                    throw new InvalidOperationException($"the vector fixes one P-256 key, the machine asked for {string.Join(", ", generate.Groups)}"),
                DeriveAndSignOperation deriveAndSign => deriveAndSign.Execute(new PublishedSignature(serverSpki, ServerSignature)),
                var operation => operation!.Execute(),
            };
            step = machine.Complete(result);
            output.AddRange(step.Output.ToArray());
        }

        if (step.Status == HandshakeStatus.Failed)
        {
            throw new InvalidOperationException($"{machine.GetType().Name} failed in {machine.StateName}: {step.Failure}");
        }

        return step;
    }

    private static byte[] SingleMessage(List<byte[]> records, RecordType type, HandshakeType message, string what)
    {
        Expect(records.Count == 1 && records[0][0] == (byte)type, $"{what} is not one {type} record");
        var messages = Messages(records[0].AsSpan(FrameLimits.HeaderLength));
        Expect(messages.Count == 1 && messages[0][0] == (byte)message, $"{what} does not carry one {message}");
        return messages[0];
    }

    private static List<byte[]> OpenMessages(byte[] record, byte[] trafficSecret, string what)
    {
        var content = Open(record, trafficSecret, ContentType.Handshake, what);
        return Messages(content);
    }

    private static byte[] OpenApplicationData(byte[] records, byte[] trafficSecret, string what)
    {
        var single = ChannelTestSupport.Records(records);
        Expect(single.Count == 1, $"{what} is {single.Count} records, expected one");
        return Open(single[0], trafficSecret, ContentType.ApplicationData, what);
    }

    private static byte[] Open(byte[] record, byte[] trafficSecret, ContentType expected, string what)
    {
        using var opener = RecordOpener.Create(CipherSuite.Aes128GcmSha256, trafficSecret);
        var copy = record.ToArray();
        Expect(opener.TryOpen(copy, out var inner, out var length, out _), $"{what} does not open");
        Expect(inner == expected, $"{what} has inner type {inner}, expected {expected}");
        return copy.AsSpan(FrameLimits.HeaderLength, length).ToArray();
    }

    /// <summary>Splits record content into whole handshake messages (<c>msg_type ‖ u16 length ‖ body</c>).</summary>
    private static List<byte[]> Messages(ReadOnlySpan<byte> content)
    {
        var messages = new List<byte[]>();
        while (!content.IsEmpty)
        {
            var length = FrameLimits.HandshakeHeaderLength + ((content[1] << 8) | content[2]);
            messages.Add(content[..length].ToArray());
            content = content[length..];
        }

        return messages;
    }

    private static void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException(failure);
        }
    }

    /// <summary>
    /// Stands in for the server's private key: "signs" by returning the published signature, after checking that it
    /// is a valid signature over exactly what the machine asked to sign, so the vector can never carry a signature
    /// over other content.
    /// </summary>
    private sealed class PublishedSignature : RSA
    {
        private readonly RSA _publicKey = RSA.Create();
        private readonly byte[] _signature;

        public PublishedSignature(byte[] spki, byte[] signature)
        {
            _publicKey.ImportSubjectPublicKeyInfo(spki, out _);
            KeySizeValue = _publicKey.KeySize;
            _signature = signature;
        }

        public override RSAParameters ExportParameters(bool includePrivateParameters) =>
            includePrivateParameters ? throw new CryptographicException("the published signature has no private key") : _publicKey.ExportParameters(false);

        public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException();

        public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
        {
            if (!_publicKey.VerifyHash(hash, _signature, hashAlgorithm, padding))
            {
                // Either the transcript up to the server Identity no longer hashes what §6.4 says (a bug), or the
                // messages were changed on purpose and the vector needs a signature over the new content.
                throw new InvalidOperationException(
                    $"the server signs content the published signature does not cover ({hashAlgorithm.Name} {Convert.ToHexStringLower(hash)}): "
                    + "unless the handshake messages were changed on purpose, the server's transcript up to its Identity is wrong; "
                    + "after a deliberate change, sign this digest with the published key (RSA-PSS, salt length 32) and publish the new signature");
            }

            return _signature.ToArray();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _publicKey.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
