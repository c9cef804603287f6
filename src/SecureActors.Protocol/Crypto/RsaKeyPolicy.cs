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
    public static RSA? TryImport(ReadOnlySpan<byte> spki, out ProtocolFailure? failure)
    {
        failure = null;
        var rsa = RSA.Create();
        try
        {
            int read;
            try
            {
                rsa.ImportSubjectPublicKeyInfo(spki, out read);
            }
            catch (CryptographicException)
            {
                // Well-formed DER that the platform refuses (e.g. e = 1) is a bad key, not bad syntax.
                failure = IsWellFormedRsaSpki(spki)
                    ? new ProtocolFailure(AlertDescription.BadCertificate, "RSA key refused by the platform (invalid parameters)")
                    : new ProtocolFailure(AlertDescription.DecodeError, "identity is not a DER RSA SubjectPublicKeyInfo");
                return null;
            }

            if (read != spki.Length)
            {
                failure = new ProtocolFailure(AlertDescription.DecodeError, $"identity has {spki.Length - read} trailing bytes after the SPKI");
                return null;
            }

            var parameters = rsa.ExportParameters(false);
            failure = CheckParameters(parameters.Modulus!, parameters.Exponent!);
            if (failure is not null)
            {
                return null;
            }

            var result = rsa;
            rsa = null;
            return result;
        }
        finally
        {
            rsa?.Dispose();
        }
    }

    /// <summary>SEQUENCE { SEQUENCE { rsaEncryption, NULL }, BIT STRING { SEQUENCE { INTEGER n, INTEGER e } } }, nothing after.</summary>
    private static bool IsWellFormedRsaSpki(ReadOnlySpan<byte> spki)
    {
        try
        {
            var reader = new System.Formats.Asn1.AsnReader(spki.ToArray(), System.Formats.Asn1.AsnEncodingRules.DER);
            var outer = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var algorithm = outer.ReadSequence();
            if (algorithm.ReadObjectIdentifier() != "1.2.840.113549.1.1.1")
            {
                return false;
            }

            var key = new System.Formats.Asn1.AsnReader(outer.ReadBitString(out _), System.Formats.Asn1.AsnEncodingRules.DER);
            outer.ThrowIfNotEmpty();
            var rsa = key.ReadSequence();
            key.ThrowIfNotEmpty();
            _ = rsa.ReadIntegerBytes();
            _ = rsa.ReadIntegerBytes();
            rsa.ThrowIfNotEmpty();
            return true;
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return false;
        }
    }

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
