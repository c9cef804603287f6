using System.Globalization;
using System.Numerics;

namespace SecureActors.Protocol.Crypto;

/// <summary>
/// The RFC 7919 finite-field groups (generator 2). Each p is a safe prime p = 2q + 1, so the only
/// small subgroup is {1, p−1} and the range check 2 ≤ y ≤ p−2 is a full public-value check.
/// </summary>
internal sealed class FfdheGroup
{
    private const string Ffdhe2048Hex =
        "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695" +
        "A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8F681B202AEC4617A" +
        "D3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935" +
        "984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797A" +
        "BC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4" +
        "AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61" +
        "9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005" +
        "C58EF1837D1683B2C6F34A26C1B2EFFA886B423861285C97FFFFFFFFFFFFFFFF";

    private const string Ffdhe3072Hex =
        "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695" +
        "A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8F681B202AEC4617A" +
        "D3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935" +
        "984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797A" +
        "BC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4" +
        "AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61" +
        "9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005" +
        "C58EF1837D1683B2C6F34A26C1B2EFFA886B4238611FCFDCDE355B3B6519035B" +
        "BC34F4DEF99C023861B46FC9D6E6C9077AD91D2691F7F7EE598CB0FAC186D91C" +
        "AEFE130985139270B4130C93BC437944F4FD4452E2D74DD364F2E21E71F54BFF" +
        "5CAE82AB9C9DF69EE86D2BC522363A0DABC521979B0DEADA1DBF9A42D5C4484E" +
        "0ABCD06BFA53DDEF3C1B20EE3FD59D7C25E41D2B66C62E37FFFFFFFFFFFFFFFF";

    private FfdheGroup(NamedGroup name, string primeHex, int exponentBits)
    {
        Name = name;
        P = BigInteger.Parse("0" + primeHex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        ByteLength = primeHex.Length / 2;
        ExponentBits = exponentBits;
    }

    /// <summary>ffdhe2048 with a 256-bit private exponent (RFC 7919 §5.2 asks for at least 225).</summary>
    public static FfdheGroup Ffdhe2048 { get; } = new(NamedGroup.Ffdhe2048, Ffdhe2048Hex, 256);

    /// <summary>ffdhe3072 with a 320-bit private exponent (RFC 7919 asks for at least 275).</summary>
    public static FfdheGroup Ffdhe3072 { get; } = new(NamedGroup.Ffdhe3072, Ffdhe3072Hex, 320);

    public NamedGroup Name { get; }

    public BigInteger P { get; }

    public static BigInteger G => 2;

    /// <summary>|p| in bytes: the exact length of a share and of the shared secret Z.</summary>
    public int ByteLength { get; }

    /// <summary>Bits in our short private exponent.</summary>
    public int ExponentBits { get; }

    public static FfdheGroup? For(NamedGroup group) => group switch
    {
        NamedGroup.Ffdhe2048 => Ffdhe2048,
        NamedGroup.Ffdhe3072 => Ffdhe3072,
        _ => null,
    };
}
