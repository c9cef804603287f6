using System.Diagnostics;
using System.Security.Cryptography;

namespace SecureActors.Benchmarks.Scenarios;

/// <summary>
/// The bare cost of the primitives a server cannot avoid, measured on one thread in the same run as
/// the scenarios (so the same machine load applies): per handshake an ephemeral P-256 key pair and
/// the derived secret, one RSA-2048 PSS/SHA-256 signature (and one
/// verification when the client authenticates); per message one AES-128-GCM open and one seal.
/// Each figure is the median over batches, in microseconds. Importing the client's share
/// (<see cref="ShareImportMicros"/>: .NET validates the point on import) is reported apart, not
/// counted in the floor.
/// </summary>
internal sealed record CryptoFloor(double EcdhMicros, double ShareImportMicros, double SignMicros, double VerifyMicros, double Gcm64Micros, double Gcm16KMicros)
{
    private const int Batches = 5;

    /// <summary>Server-side handshake floor: ECDH + sign, plus verify with client authentication.</summary>
    public double HandshakeMicros(bool clientAuth) => EcdhMicros + SignMicros + (clientAuth ? VerifyMicros : 0);

    /// <summary>Issue 7's definition: key generation + derive + sign + verify.</summary>
    public double FullHandshakeMicros => EcdhMicros + SignMicros + VerifyMicros;

    public static CryptoFloor Measure(bool quick)
    {
        var handshakeOps = quick ? 10 : 100;
        var recordOps = quick ? 500 : 20_000;
        using var rsa = RSA.Create(2048);
        var transcript = RandomNumberGenerator.GetBytes(64 + 34 + 32);
        var signature = rsa.SignData(transcript, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        using var client = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var clientShare = client.ExportParameters(includePrivateParameters: false);

        using var imported = ECDiffieHellman.Create(clientShare);
        // On OpenSSL every read of PublicKey makes a new object owning a native handle: read it once.
        using var importedPublic = imported.PublicKey;
        var ecdh = Median(handshakeOps, () =>
        {
            using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            _ = ephemeral.ExportParameters(includePrivateParameters: false);
            var secret = ephemeral.DeriveRawSecretAgreement(importedPublic);
            CryptographicOperations.ZeroMemory(secret);
        });
        var import = Median(handshakeOps, () =>
        {
            using var peer = ECDiffieHellman.Create(clientShare);
        });
        var sign = Median(handshakeOps, () => rsa.SignData(transcript, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        var verify = Median(handshakeOps * 4, () => rsa.VerifyData(transcript, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        return new CryptoFloor(ecdh, import, sign, verify, SealOpen(64, recordOps), SealOpen(16 * 1024, recordOps / 16));
    }

    private static double SealOpen(int size, int operations)
    {
        using var aes = new AesGcm(RandomNumberGenerator.GetBytes(16), tagSizeInBytes: 16);
        var nonce = new byte[12];
        var header = new byte[] { 0x17, 0x40, 0x11 };
        var plaintext = RandomNumberGenerator.GetBytes(size + 1);
        var ciphertext = new byte[plaintext.Length];
        var opened = new byte[plaintext.Length];
        var tag = new byte[16];
        return Median(operations, () =>
        {
            nonce[11]++;
            aes.Encrypt(nonce, plaintext, ciphertext, tag, header);
            aes.Decrypt(nonce, ciphertext, tag, opened, header);
        });
    }

    private static double Median(int operations, Action operation)
    {
        operation();
        var results = new double[Batches];
        for (var batch = 0; batch < Batches; batch++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < operations; i++)
            {
                operation();
            }

            results[batch] = Stopwatch.GetElapsedTime(started).TotalMicroseconds / operations;
        }

        Array.Sort(results);
        return results[Batches / 2];
    }
}
