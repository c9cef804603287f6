using System.Formats.Asn1;
using System.Security.Cryptography;

namespace SecureActors.Protocol.Crypto;

/// <summary>
/// Strict import of a peer's RSA SubjectPublicKeyInfo (brief §3): the DER must be consumed
/// exactly (else decode_error), then 2048 ≤ |n| ≤ 4096 (the cap bounds verification cost),
/// n odd and e = 65537 (else bad_certificate).
/// </summary>
public static class RsaKeyPolicy
{
    /// <summary>Smallest accepted modulus in bits.</summary>
    public const int MinModulusBits = 2048;

    /// <summary>Largest accepted modulus in bits.</summary>
    public const int MaxModulusBits = 4096;

    /// <summary>Imports and checks an SPKI; on failure returns null and the alert to send.</summary>
    /// <remarks>
    /// The policy is checked on our own DER reading of the key, before and instead of asking the
    /// platform for the parameters back: on OpenSSL 3 exporting them costs about as much as the import
    /// itself (≈ 145 µs against ≈ 120 µs for RSA-2048), and every handshake's verification imports a key.
    /// </remarks>
    public static RSA? TryImport(ReadOnlySpan<byte> spki, out ProtocolFailure? failure)
    {
        if (!TryReadRsaSpki(spki, out var modulus, out var exponent, out var trailing))
        {
            failure = new ProtocolFailure(AlertDescription.DecodeError, "identity is not a DER RSA SubjectPublicKeyInfo");
            return null;
        }

        if (trailing > 0)
        {
            failure = new ProtocolFailure(AlertDescription.DecodeError, $"identity has {trailing} trailing bytes after the SPKI");
            return null;
        }

        failure = IsNegative(modulus) || IsNegative(exponent)
            ? new ProtocolFailure(AlertDescription.BadCertificate, "RSA modulus or exponent is negative")
            : CheckParameters(modulus, exponent);
        if (failure is not null)
        {
            return null;
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportSubjectPublicKeyInfo(spki, out _);
            return rsa;
        }
        catch (CryptographicException)
        {
            // Well-formed DER that passes our policy yet is refused by the platform is a bad key, not
            // bad syntax.
            rsa.Dispose();
            failure = new ProtocolFailure(AlertDescription.BadCertificate, "RSA key refused by the platform (invalid parameters)");
            return null;
        }
    }

    /// <summary>
    /// Reads SEQUENCE { SEQUENCE { rsaEncryption, NULL }, BIT STRING { SEQUENCE { INTEGER n, INTEGER e } } }
    /// under DER rules; <paramref name="trailing"/> counts the bytes after it. RFC 3279 §2.3.1 makes
    /// the parameters NULL; the platform would also take other values there.
    /// </summary>
    private static bool TryReadRsaSpki(ReadOnlySpan<byte> spki, out ReadOnlySpan<byte> modulus, out ReadOnlySpan<byte> exponent, out int trailing)
    {
        const AsnEncodingRules Der = AsnEncodingRules.DER;
        modulus = default;
        exponent = default;
        trailing = 0;
        try
        {
            AsnDecoder.ReadSequence(spki, Der, out var outerOffset, out var outerLength, out var consumed);
            trailing = spki.Length - consumed;
            var outer = spki.Slice(outerOffset, outerLength);

            AsnDecoder.ReadSequence(outer, Der, out var algorithmOffset, out var algorithmLength, out var algorithmConsumed);
            if (!outer.Slice(algorithmOffset, algorithmLength).SequenceEqual(RsaEncryptionWithNullParameters))
            {
                return false;
            }

            var keyBits = outer[algorithmConsumed..];
            if (!AsnDecoder.TryReadPrimitiveBitString(keyBits, Der, out var unusedBits, out var key, out var keyBitsConsumed)
                || unusedBits != 0 || keyBitsConsumed != keyBits.Length)
            {
                return false;
            }

            AsnDecoder.ReadSequence(key, Der, out var rsaOffset, out var rsaLength, out var rsaConsumed);
            if (rsaConsumed != key.Length)
            {
                return false;
            }

            var integers = key.Slice(rsaOffset, rsaLength);
            modulus = AsnDecoder.ReadIntegerBytes(integers, Der, out var modulusConsumed);
            exponent = AsnDecoder.ReadIntegerBytes(integers[modulusConsumed..], Der, out var exponentConsumed);
            return modulusConsumed + exponentConsumed == integers.Length;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static bool IsNegative(ReadOnlySpan<byte> derInteger) => (derInteger[0] & 0x80) != 0;

    /// <summary>The AlgorithmIdentifier's content: OID 1.2.840.113549.1.1.1 (rsaEncryption), then NULL.</summary>
    private static ReadOnlySpan<byte> RsaEncryptionWithNullParameters =>
        [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00];

    internal static ProtocolFailure? CheckParameters(ReadOnlySpan<byte> modulus, ReadOnlySpan<byte> exponent)
    {
        var leading = modulus.IndexOfAnyExcept((byte)0);
        if (leading < 0)
        {
            return new ProtocolFailure(AlertDescription.BadCertificate, "RSA modulus is zero");
        }

        var n = modulus[leading..];
        var bits = (n.Length * 8) - System.Numerics.BitOperations.LeadingZeroCount((uint)n[0]) + 24;
        if (bits is < MinModulusBits or > MaxModulusBits)
        {
            return new ProtocolFailure(AlertDescription.BadCertificate, $"RSA modulus has {bits} bits; allowed {MinModulusBits}..{MaxModulusBits}");
        }

        if ((n[^1] & 1) == 0)
        {
            return new ProtocolFailure(AlertDescription.BadCertificate, "RSA modulus is even");
        }

        var e = exponent[Math.Max(0, exponent.IndexOfAnyExcept((byte)0))..];
        if (!e.SequenceEqual((ReadOnlySpan<byte>)[0x01, 0x00, 0x01]))
        {
            return new ProtocolFailure(AlertDescription.BadCertificate, "RSA public exponent is not 65537");
        }

        return null;
    }
}
