using System.Buffers;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.TestSupport;
using static SecureActors.Protocol.Handshake.HandshakeMessages;

namespace SecureActors.Protocol.Tests.Handshake;

/// <summary>
/// Bounded, seeded mutation fuzzing of every handshake message parser, both machines' plaintext
/// entry points, signature verification on hostile keys, and the record layer's inner parsers.
/// The only acceptable outcomes are success or a typed failure carrying an alert: any other
/// exception escaping is a bug (hostile input must never crash a session actor).
/// </summary>
public sealed class MutationFuzzTests
{
    private const int Seed = 20240601;

    // `make fuzz` sets SECUREACTORS_FUZZ_SECONDS: each fuzz loop then carries on along the same seeded
    // stream until that many seconds have passed (the CI count of cases still runs first). Unset, the
    // short CI budget below is all that runs.
    private static readonly double FuzzSeconds =
        double.TryParse(Environment.GetEnvironmentVariable("SECUREACTORS_FUZZ_SECONDS"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;

    private static bool KeepFuzzing(int iteration, int ciIterations, long startedAt, int share = 1) =>
        iteration < ciIterations || System.Diagnostics.Stopwatch.GetElapsedTime(startedAt).TotalSeconds < FuzzSeconds / share;

    [Fact]
    public void Decoders_MutatedMessages_SucceedOrRaiseProtocolViolation()
    {
        var (clientHello, serverHello, serverFlight) = RecordHandshake();
        var bodies = new (string Name, byte[] Body, Action<byte[]> Decode)[]
        {
            ("ClientHello", clientHello[3..], b => ClientHello.Decode(b)),
            ("ServerHello", serverHello[3..], b => ServerHello.Decode(b)),
            ("HelloRetryRequest", new HelloRetryRequest(1, 0x1301, 0x0017).Encode()[3..], b => HelloRetryRequest.Decode(b)),
            ("ServerParams", serverFlight[0][3..], b => ServerParams.Decode(b)),
            ("Identity", serverFlight[1][3..], b => IdentityMessage.Decode(b)),
            ("Signature", serverFlight[2][3..], b => SignatureMessage.Decode(b)),
        };
        var random = new Random(Seed);

        foreach (var (name, body, decode) in bodies)
        {
            var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            for (var i = 0; KeepFuzzing(i, 600, startedAt, bodies.Length); i++)
            {
                var mutated = Mutate(body, random);
                var escaped = Record.Exception(() => decode(mutated));

                Assert.True(escaped is null or ProtocolViolationException, $"{name} mutation {i} ({Convert.ToHexString(mutated)}): {escaped}");
            }
        }
    }

    [Fact]
    public void ServerMachine_MutatedClientHelloRecords_FailWithAlertNeverThrow()
    {
        var (clientHello, _, _) = RecordHandshake();
        var random = new Random(Seed + 1);

        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; KeepFuzzing(i, 1500, startedAt); i++)
        {
            var record = MutateRecord(RecordOf(RecordType.Handshake, clientHello), random);
            using var server = Loopback.Server();

            var step = FeedAll(server, record, out var escaped);

            Assert.True(escaped is null, $"mutation {i} ({Convert.ToHexString(record)}): {escaped}");
            Assert.True(step is null || step.Status != HandshakeStatus.Failed || step.Failure is not null, $"mutation {i} failed without a failure");
        }
    }

    [Fact]
    public void ClientMachine_MutatedServerHelloRecords_FailWithAlertNeverThrow()
    {
        var (_, serverHello, _) = RecordHandshake();
        var random = new Random(Seed + 2);

        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; KeepFuzzing(i, 800, startedAt); i++)
        {
            var record = MutateRecord(RecordOf(RecordType.Handshake, serverHello), random);
            using var client = Loopback.Client();
            client.RunInline(client.Start());

            FeedAll(client, record, out var escaped);

            Assert.True(escaped is null, $"mutation {i} ({Convert.ToHexString(record)}): {escaped}");
        }
    }

    [Fact]
    public void VerifyOperation_MutatedSpkiOrSignature_ResultNeverThrows()
    {
        var spki = TestKeys.Server.Spki.ToArray();
        var content = SignatureSchemes.BuildContent(SignatureSchemes.ServerContext, new byte[32]);
        var signature = TestKeys.Server.Sign(content, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var random = new Random(Seed + 3);

        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; KeepFuzzing(i, 300, startedAt); i++)
        {
            var badKey = i % 2 == 0;
            var operation = new VerifyOperation(badKey ? Mutate(spki, random) : spki, SignatureScheme.RsaPssRsaeSha256, content, badKey ? signature : Mutate(signature, random));

            var escaped = Record.Exception(() => operation.Execute());

            Assert.True(escaped is null, $"mutation {i}: {escaped}");
        }
    }

    [Fact]
    public void SecureChannel_AuthenticRecordsWithHostileContent_FailWithAlertNeverThrow()
    {
        var random = new Random(Seed + 4);
        byte[] innerTypes = [(byte)ContentType.Alert, (byte)ContentType.Handshake, (byte)ContentType.ApplicationData, 0x42];

        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; KeepFuzzing(i, 1500, startedAt); i++)
        {
            var (_, server) = ChannelPair.Create();
            using var sealer = RecordSealer.Create(CipherSuite.Aes128GcmSha256, ChannelPair.ClientSecret.AsSpan(0, 32));
            var wire = new List<byte>();
            for (var r = random.Next(1, 4); r > 0; r--)
            {
                var content = HostileContent(random);
                var record = new byte[RecordSealer.RecordLength(content.Length)];
                var length = sealer.Seal(content, (ContentType)innerTypes[random.Next(innerTypes.Length)], record);
                wire.AddRange(record.AsSpan(0, length).ToArray());
            }

            var escaped = Record.Exception(() => ChannelTestSupport.Receive(server, [.. wire]));

            Assert.True(escaped is null, $"case {i} ({Convert.ToHexString([.. wire])}): {escaped}");
        }
    }

    private static byte[] HostileContent(Random random)
    {
        // Mostly-structured content: an application header, a KeyUpdate or an alert, then mutated.
        byte[] seed = random.Next(3) switch
        {
            0 => [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 4, 1, 2, 3, 4],
            1 => [24, 0, 1, 1],
            _ => [1, 0],
        };
        return random.Next(5) == 0 ? [] : Mutate(seed, random);
    }

    private static HandshakeStep? FeedAll(HandshakeMachine machine, byte[] bytes, out Exception? escaped)
    {
        HandshakeStep? last = null;
        escaped = Record.Exception(() =>
        {
            var input = new ReadOnlySequence<byte>(bytes);
            while (!machine.IsFinished)
            {
                var status = FrameReader.TryRead(input, out var consumed, out _, out var frame, out _);
                if (status != FrameReadStatus.Complete)
                {
                    break;
                }

                last = machine.RunInline(machine.Feed(frame));
                input = input.Slice(consumed);
            }
        });
        return last;
    }

    private static (byte[] ClientHello, byte[] ServerHello, byte[][] ServerFlight) RecordHandshake()
    {
        using var client = Loopback.Client();
        using var server = Loopback.Server();
        var c = new Endpoint(client, expectsPrologue: false);
        var s = new Endpoint(server, expectsPrologue: true);
        c.Record(client.Start());
        var clientFlight = c.TakeOutbox();
        s.Deliver(clientFlight);
        var serverBytes = s.TakeOutbox();
        var records = ChannelTestSupport.Records(serverBytes);
        var serverHello = records[0][3..];

        // Rebuild the protected flight's messages through the same encoders the machine uses.
        var flight = new[]
        {
            new ServerParams(ClientAuthPolicy.Optional, 1 << 20, false, [0x0804, 0x0805]).Encode(),
            new IdentityMessage(TestKeys.Server.Spki.ToArray()).Encode(),
            new SignatureMessage(0x0804, new byte[256]).Encode(),
        };
        return (clientFlight[(8 + 3)..], serverHello, flight);
    }

    private static byte[] RecordOf(RecordType type, byte[] body) => [(byte)type, (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static byte[] MutateRecord(byte[] record, Random random)
    {
        // Keep the record header consistent most of the time so the mutation reaches the parser.
        var body = Mutate(record[3..], random);
        if (body.Length > FrameLimits.MaxContent)
        {
            body = body[..FrameLimits.MaxContent];
        }

        return random.Next(10) == 0 ? Mutate(RecordOf((RecordType)record[0], body), random) : RecordOf((RecordType)record[0], body);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var data = original.ToList();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            switch (random.Next(6))
            {
                case 0 when data.Count > 0:
                    data[random.Next(data.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[random.Next(data.Count)] = (byte)random.Next(256);
                    break;
                case 2 when data.Count > 0:
                    data.RemoveAt(random.Next(data.Count));
                    break;
                case 3:
                    data.InsertRange(random.Next(data.Count + 1), Enumerable.Range(0, random.Next(1, 6)).Select(_ => (byte)random.Next(256)));
                    break;
                case 4 when data.Count > 0:
                    var keep = random.Next(data.Count);
                    data.RemoveRange(keep, data.Count - keep);
                    break;
                case 5 when data.Count > 1:
                    var at = random.Next(data.Count - 1);
                    data[at] = 0xFF;
                    data[at + 1] = (byte)random.Next(256);
                    break;
            }
        }

        return [.. data];
    }
}
