using SecureActors.Protocol.Identity;

namespace SecureActors.Client.Tests.Support;

/// <summary>RSA keys generated once per test run: generation costs far more than a handshake.</summary>
internal static class TestKeys
{
    private static readonly Lazy<LocalIdentity> ServerKey = new(() => LocalIdentity.Generate(2048));
    private static readonly Lazy<LocalIdentity> OtherServerKey = new(() => LocalIdentity.Generate(2048));
    private static readonly Lazy<LocalIdentity> ClientKey = new(() => LocalIdentity.Generate(2048));

    public static LocalIdentity Server => ServerKey.Value;

    public static LocalIdentity OtherServer => OtherServerKey.Value;

    public static LocalIdentity Client => ClientKey.Value;
}
