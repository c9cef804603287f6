using System.Buffers;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SecureActors.Protocol;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Records;

namespace SecureActors.Benchmarks.Protocol;

/// <summary>
/// Seal + open of one record at 64 B, 1 KiB and 16 KiB: the bare BCL AEAD (baseline, same work:
/// encrypt then decrypt with a 3-byte AAD) against our record layer and our channel. The ratio is
/// our overhead (target ≤ 1.15×); MemoryDiagnoser shows the steady state allocates nothing.
/// </summary>
[MemoryDiagnoser]
public class RecordBenchmarks
{
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _aad = [0x17, 0x40, 0x11];
    private readonly byte[] _tag = new byte[16];
    private byte[] _payload = [];
    private byte[] _ciphertext = [];
    private byte[] _plaintext = [];
    private byte[] _record = [];
    private AesGcm? _aes;
    private ChaCha20Poly1305? _chacha;
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
        var key = new byte[Suite == CipherSuite.Aes128GcmSha256 ? 16 : 32];
        _aes = new AesGcm(new byte[16], 16);
        _chacha = new ChaCha20Poly1305(new byte[32]);
        _ = key;
        _payload = RandomNumberGenerator.GetBytes(Size);
        _ciphertext = new byte[Size + 1];
        _plaintext = new byte[Size + 1];
        _record = new byte[RecordSealer.RecordLength(Size)];
        var secret = new byte[32];
        _sealer = RecordSealer.Create(Suite, secret);
        _opener = RecordOpener.Create(Suite, secret);
        (_client, _server) = ChannelFactory.Pair(Suite);
        _wire = new ArrayBufferWriter<byte>(2 * RecordSealer.RecordLength(16384));
        _responses = new ArrayBufferWriter<byte>(256);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aes?.Dispose();
        _chacha?.Dispose();
        _sealer?.Dispose();
        _opener?.Dispose();
        _client?.Dispose();
        _server?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "bare BCL AEAD seal+open")]
    public void Bare()
    {
        // Same plaintext size as a record: content + inner type byte.
        _payload.CopyTo(_plaintext, 0);
        if (Suite == CipherSuite.Aes128GcmSha256)
        {
            _aes!.Encrypt(_nonce, _plaintext, _ciphertext, _tag, _aad);
            _aes.Decrypt(_nonce, _ciphertext, _tag, _plaintext, _aad);
        }
        else
        {
            _chacha!.Encrypt(_nonce, _plaintext, _ciphertext, _tag, _aad);
            _chacha.Decrypt(_nonce, _ciphertext, _tag, _plaintext, _aad);
        }
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
        var written = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(_wire.WrittenSpan), _wire.WrittenCount);
        return _server!.Receive(written, _responses).Payload.Length;
    }
}
