using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Records;

namespace SecureActors.Protocol.Tests.Crypto;

/// <summary>
/// Computes the known-answer vectors published in docs/PROTOCOL.md §11 from their fixed inputs.
/// The inputs are deliberately simple byte patterns so another implementation can reproduce them.
/// </summary>
internal static class KnownAnswerVectors
{
    public static byte[] Pattern(byte start, int length) => Enumerable.Range(0, length).Select(i => (byte)(start + i)).ToArray();

    public static byte[] Fill(byte value, int length) => Enumerable.Repeat(value, length).ToArray();

    public static List<(string Name, string Hex)> Compute(CipherSuite suiteId)
    {
        var suite = SuiteParameters.For(suiteId);
        var h = suite.HashLength;
        var hash = suite.Hash;
        var z = Pattern(0x00, 32);
        var thServerHello = Fill(0x11, h);
        var thServerSignature = Fill(0x33, h);
        var thServerFinished = Fill(0x22, h);
        var list = new List<(string, string)>();
        void Add(string name, ReadOnlySpan<byte> value) => list.Add((name, Convert.ToHexStringLower(value)));

        var zeros = new byte[h];
        var early = new byte[h];
        KeySchedule.Extract(hash, zeros, zeros, early);
        Add("early", early);
        var derived = new byte[h];
        KeySchedule.DeriveSecretEmpty(hash, early, "derived", derived);
        Add("derived(early)", derived);
        var hs = new byte[h];
        KeySchedule.Extract(hash, derived, z, hs);
        Add("hs", hs);
        var cHs = new byte[h];
        var sHs = new byte[h];
        KeySchedule.DeriveSecret(hash, hs, "c hs traffic", thServerHello, cHs);
        KeySchedule.DeriveSecret(hash, hs, "s hs traffic", thServerHello, sHs);
        Add("c_hs", cHs);
        Add("s_hs", sHs);
        var finished = new byte[h];
        KeySchedule.ComputeFinished(hash, sHs, thServerSignature, finished);
        Add("server verify_data", finished);
        var derivedHs = new byte[h];
        KeySchedule.DeriveSecretEmpty(hash, hs, "derived", derivedHs);
        var master = new byte[h];
        KeySchedule.Extract(hash, derivedHs, zeros, master);
        Add("master", master);
        var cAp = new byte[h];
        var sAp = new byte[h];
        KeySchedule.DeriveSecret(hash, master, "c ap traffic", thServerFinished, cAp);
        KeySchedule.DeriveSecret(hash, master, "s ap traffic", thServerFinished, sAp);
        Add("c_ap_0", cAp);
        Add("s_ap_0", sAp);
        var exp = new byte[h];
        KeySchedule.DeriveSecret(hash, master, "exp master", thServerFinished, exp);
        var sessionId = new byte[16];
        KeySchedule.ExpandLabel(hash, exp, "session id", [], sessionId);
        Add("session_id", sessionId);
        var key = new byte[suite.KeyLength];
        var iv = new byte[12];
        KeySchedule.ExpandLabel(hash, cAp, "key", [], key);
        KeySchedule.ExpandLabel(hash, cAp, "iv", [], iv);
        Add("c_ap_0 key", key);
        Add("c_ap_0 iv", iv);
        var next = new byte[h];
        KeySchedule.ExpandLabel(hash, cAp, "traffic upd", [], next);
        Add("c_ap_1", next);

        using var sealer = RecordSealer.Create(suiteId, cAp);
        var record = new byte[RecordSealer.RecordLength(5)];
        sealer.Seal("hello"u8, ContentType.ApplicationData, record);
        Add("record seq 0: \"hello\", inner 0x17", record);
        sealer.Seal("hello"u8, ContentType.ApplicationData, record);
        Add("record seq 1: \"hello\", inner 0x17", record);

        using var batchSealer = RecordSealer.Create(suiteId, cAp);
        var batchContent = BatchedRequestsContent();
        var batchRecord = new byte[RecordSealer.RecordLength(batchContent.Length)];
        batchSealer.Seal(batchContent, ContentType.ApplicationData, batchRecord);
        Add("batched record seq 0: requests 1 \"hello\" + 2 \"world\"", batchRecord);
        return list;
    }

    /// <summary>
    /// §8.7's record content for two requests, written out from §8.3's header layout rather than by
    /// the channel, so the vector checks the channel instead of repeating it.
    /// </summary>
    public static byte[] BatchedRequestsContent()
    {
        static byte[] Request(ulong id, string payload)
        {
            var message = new byte[14 + payload.Length];
            message[0] = 0x01; // kind: request; flags (message[1]) stay 0
            BinaryPrimitives.WriteUInt64BigEndian(message.AsSpan(2), id);
            BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(10), (uint)payload.Length);
            System.Text.Encoding.ASCII.GetBytes(payload, message.AsSpan(14));
            return message;
        }

        return [.. Request(1, "hello"), .. Request(2, "world")];
    }

    /// <summary>The ClientHello example of PROTOCOL.md §5.1 (fixed random and share).</summary>
    public static byte[] ExampleClientHello() => new HandshakeMessages.ClientHello(
        Fill(0xAA, 32),
        [1],
        [0x1301, 0x1302, 0x1303],
        [0x0017, 0x0018],
        [new HandshakeMessages.KeyShare(0x0017, [0x04, .. Fill(0xBB, 64)])],
        [0x0804, 0x0805, 0x0806],
        [(0x0001, [0x00, 0x10, 0x00, 0x00])]).Encode();
}
