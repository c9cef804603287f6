using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Handshake;

/// <summary>
/// The client never sends a ClientHello that a server must reject for its shape (PROTOCOL.md §5.1):
/// configurations that would are refused when the handshake is created, and the largest valid one
/// fits every list cap and the handshake message limit.
/// </summary>
public sealed class ClientHelloLimitTests
{
    // Code points no SAP/1 peer knows: legal to offer (a server ignores them, §5.1), useful to fill a list.
    private static IEnumerable<NamedGroup> UnknownGroups(int count) => Enumerable.Range(0x0200, count).Select(g => (NamedGroup)g);

    private static IEnumerable<SignatureScheme> UnknownSchemes(int count) => Enumerable.Range(0x0900, count).Select(s => (SignatureScheme)s);

    private static readonly NamedGroup[] KnownGroups = [NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.Ffdhe2048, NamedGroup.Ffdhe3072];

    [Fact]
    public void Client_SixteenGroupsPlusClassroom_RefusedUpFrontNamingCapAndRemedy()
    {
        var options = ProtocolOptions.Default with { Groups = [.. KnownGroups, .. UnknownGroups(12)], EnableClassroom = true };
        options.ValidateForClient();

        var error = Assert.Throws<ArgumentException>(() => Loopback.Client(options));

        Assert.Contains("Groups would put 17 entries", error.Message, StringComparison.Ordinal);
        Assert.Contains("cap of 16", error.Message, StringComparison.Ordinal);
        Assert.Contains("disable the classroom suite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_SeventeenGroups_RejectsTheHelloTheClientRefusesToSend()
    {
        // The premise of the check above: the server's decoder refuses the 17th group.
        ushort[] groups = [.. KnownGroups.Select(g => (ushort)g), .. UnknownGroups(12).Select(g => (ushort)g), (ushort)NamedGroup.Classroom];
        var hello = new HandshakeMessages.ClientHello(new byte[32], [1], [0x1301], groups, [], [0x0804], []).Encode();

        var error = Assert.Throws<ProtocolViolationException>(() => HandshakeMessages.ClientHello.Decode(hello.AsSpan(FrameLimits.HandshakeHeaderLength)));

        Assert.Equal(AlertDescription.DecodeError, error.ToFailure().Alert);
    }

    [Fact]
    public void Client_FifteenGroupsPlusClassroom_CompletesAClassroomHandshake()
    {
        var options = ProtocolOptions.Default with { Groups = [.. KnownGroups, .. UnknownGroups(11)], EnableClassroom = true };
        using var client = Loopback.Client(options);
        using var server = Loopback.Server(ProtocolOptions.Default with { EnableClassroom = true });

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.Equal(NamedGroup.Classroom, s.Last!.Result!.Group);
    }

    [Fact]
    public void Client_RepeatedSuite_RefusedUpFront()
    {
        var options = ProtocolOptions.Default with { CipherSuites = [CipherSuite.Aes128GcmSha256, CipherSuite.Aes128GcmSha256] };

        var error = Assert.Throws<ArgumentException>(() => Loopback.Client(options));

        Assert.Contains("CipherSuites lists an entry twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_ThirtyTwoSuitesPlusClassroom_RefusedUpFront()
    {
        var options = ProtocolOptions.Default with { CipherSuites = [.. Enumerable.Repeat(CipherSuite.Aes128GcmSha256, 32)], EnableClassroom = true };

        var error = Assert.Throws<ArgumentException>(() => Loopback.Client(options));

        Assert.Contains("CipherSuites would put 33 entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_RepeatedSignatureScheme_RefusedUpFront()
    {
        var options = ProtocolOptions.Default with { SignatureSchemes = [SignatureScheme.RsaPssRsaeSha256, SignatureScheme.RsaPssRsaeSha256] };

        var error = Assert.Throws<ArgumentException>(() => Loopback.Client(options));

        Assert.Contains("SignatureSchemes lists an entry twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_KeyShareForAGroupItCannotGenerate_RefusedUpFront()
    {
        var unknown = UnknownGroups(1).Single();
        var options = ProtocolOptions.Default with { Groups = [NamedGroup.Secp256r1, unknown], KeyShareGroups = [unknown] };

        var error = Assert.Throws<ArgumentException>(() => Loopback.Client(options));

        Assert.Contains("KeyShareGroups names 0x0200", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_LargestValidConfiguration_HelloFitsEveryLimitAndTheHandshakeCompletes()
    {
        // Groups and schemes at their caps (the classroom group included), every suite, both
        // extensions and the two largest shares: the biggest ClientHello a configuration that
        // passes the checks can make (versions are not configurable).
        var options = ProtocolOptions.Default with
        {
            Groups = [NamedGroup.Ffdhe3072, NamedGroup.Ffdhe2048, NamedGroup.Secp384r1, NamedGroup.Secp256r1, .. UnknownGroups(11)],
            KeyShareGroups = [NamedGroup.Ffdhe3072, NamedGroup.Ffdhe2048],
            SignatureSchemes = [SignatureScheme.RsaPssRsaeSha256, SignatureScheme.RsaPssRsaeSha384, SignatureScheme.RsaPssRsaeSha512, .. UnknownSchemes(13)],
            MessageSignatures = true,
            EnableClassroom = true,
        };
        // A client that offers message signatures holds an identity key (PROTOCOL.md §12.1).
        using var client = Loopback.Client(options, identity: TestKeys.Client);
        using var server = Loopback.Server(ProtocolOptions.Default with { Groups = [NamedGroup.Ffdhe3072] });
        byte[]? firstFlight = null;

        var (c, s) = Loopback.Run(client, server, clientToServer: b => { firstFlight ??= b; return b; });

        // magic ‖ 16 ‖ u16 record length ‖ ClientHello (type ‖ u16 length ‖ body)
        var helloBody = (firstFlight![Prologue.Magic.Length + 4] << 8) | firstFlight[Prologue.Magic.Length + 5];
        Assert.InRange(helloBody, 1, FrameLimits.MaxHandshakeMessage);
        Assert.Equal(HandshakeStatus.Complete, s.Last!.Status);
        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.Equal(NamedGroup.Ffdhe3072, s.Last.Result!.Group);
    }
}
