using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SecureActors.Protocol;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Records;

namespace SecureActors.Benchmarks.Protocol;

/// <summary>
/// Seal + open of one record at 64 B, 1 KiB and 16 KiB: the bare BCL AEAD against our record layer
/// and our channel. The ratio is our overhead (target ≤ 1.15×); MemoryDiagnoser shows the steady
/// state allocates nothing.
/// </summary>
/// <remarks>
/// The baseline does exactly the work any record layer must do around the primitive, and no more,
/// with the same buffer discipline as ours: copy the content into a record-shaped buffer, write the
/// 3-byte header (the AAD) and the inner type byte, build nonce = iv XOR seq (sender and receiver
/// each), seal in place, open in place, one AEAD context per direction. What it leaves out is what
/// we measure: argument and header validation, the sequence-number limits, finding the inner type,
/// byte accounting, and for the channel the message header, id and KeyUpdate checks. The median
/// column is there because the machine is shared: it moves less than the mean when a neighbour
/// takes the CPU for part of a run.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class RecordBenchmarks
{
    private readonly byte[] _iv = RandomNumberGenerator.GetBytes(SuiteParameters.IvLength);
    private byte[] _payload = [];
    private byte[] _bareRecord = [];
    private ulong _bareSequence;
    private AesGcm? _aesSeal;
    private AesGcm? _aesOpen;
    private ChaCha20Poly1305? _chachaSeal;
    private ChaCha20Poly1305? _chachaOpen;
    private byte[] _record = [];
    private RecordSealer? _sealer;
    private RecordOpener? _opener;
    private SecureChannel? _client;
    private SecureChannel? _server;
    private ArrayBufferWriter<byte> _wire = new();
    private ArrayBufferWriter<byte> _responses = new();

    [Params(64, 1024, 16384)]
    public int Size { get; set; }

    [Params(CipherSuite.Aes128GcmSha256, CipherSuite.ChaCha20Poly1305Sha256)]
    public CipherSuite Suite { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var key = RandomNumberGenerator.GetBytes(SuiteParameters.For(Suite).KeyLength);
        if (Suite == CipherSuite.Aes128GcmSha256)
        {
            _aesSeal = new AesGcm(key, FrameLimits.TagLength);
            _aesOpen = new AesGcm(key, FrameLimits.TagLength);
        }
        else
        {
            _chachaSeal = new ChaCha20Poly1305(key);
            _chachaOpen = new ChaCha20Poly1305(key);
        }

        _payload = RandomNumberGenerator.GetBytes(Size);
        _bareRecord = new byte[RecordSealer.RecordLength(Size)];
        _record = new byte[RecordSealer.RecordLength(Size)];
        var secret = RandomNumberGenerator.GetBytes(32);
        _sealer = RecordSealer.Create(Suite, secret);
        _opener = RecordOpener.Create(Suite, secret);
        (_client, _server) = ChannelFactory.Pair(Suite);
        _wire = new ArrayBufferWriter<byte>(2 * RecordSealer.RecordLength(16384));
        _responses = new ArrayBufferWriter<byte>(256);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aesSeal?.Dispose();
        _aesOpen?.Dispose();
        _chachaSeal?.Dispose();
        _chachaOpen?.Dispose();
        _sealer?.Dispose();
        _opener?.Dispose();
        _client?.Dispose();
        _server?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "bare BCL AEAD seal+open")]
    public int Bare()
    {
        // header ‖ content ‖ inner type ‖ tag, sealed and opened in place; the header is the AAD.
        var record = _bareRecord.AsSpan();
        _payload.CopyTo(record[FrameLimits.HeaderLength..]);
        record[0] = (byte)RecordType.Protected;
        BinaryPrimitives.WriteUInt16BigEndian(record[1..], (ushort)(Size + 1 + FrameLimits.TagLength));
        record[FrameLimits.HeaderLength + Size] = (byte)ContentType.ApplicationData;
        var aad = record[..FrameLimits.HeaderLength];
        var body = record.Slice(FrameLimits.HeaderLength, Size + 1);
        var tag = record[^FrameLimits.TagLength..];
        Span<byte> sealNonce = stackalloc byte[SuiteParameters.IvLength];
        Span<byte> openNonce = stackalloc byte[SuiteParameters.IvLength];
        Nonce(_bareSequence, sealNonce);
        Nonce(_bareSequence, openNonce);
        _bareSequence++;
        if (_aesSeal is not null)
        {
            _aesSeal.Encrypt(sealNonce, body, body, tag, aad);
            _aesOpen!.Decrypt(openNonce, body, tag, body, aad);
        }
        else
        {
            _chachaSeal!.Encrypt(sealNonce, body, body, tag, aad);
            _chachaOpen!.Decrypt(openNonce, body, tag, body, aad);
        }

        return body[^1];
    }

    [Benchmark(Description = "RecordSealer+RecordOpener")]
    public int Record()
    {
        _sealer!.Seal(_payload, ContentType.ApplicationData, _record);
        _opener!.TryOpen(_record, out _, out var length, out _);
        return length;
    }

    [Benchmark(Description = "SecureChannel push+receive (payload ≤ 16370)")]
    public int Channel()
    {
        _wire.ResetWrittenCount();
        _client!.TryWritePush(_payload.AsSpan(0, Math.Min(Size, 16384 - SecureChannel.MessageHeaderLength)), _wire, out _);
        var written = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(_wire.WrittenSpan), _wire.WrittenCount);
        return _server!.Receive(written, _responses).Payload.Length;
    }

    private void Nonce(ulong sequence, Span<byte> nonce)
    {
        // nonce = iv XOR (0^32 ‖ seq_be64)
        _iv.CopyTo(nonce);
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], BinaryPrimitives.ReadUInt64BigEndian(_iv.AsSpan(4)) ^ sequence);
    }
}
