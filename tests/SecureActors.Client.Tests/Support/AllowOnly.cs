using SecureActors.Protocol.Identity;

namespace SecureActors.Client.Tests.Support;

/// <summary>An authorizer that admits one client key, as "test-client".</summary>
internal sealed class AllowOnly(string fingerprint) : IClientAuthorizer
{
    public string? Authorize(PeerIdentity clientKey, System.Net.IPAddress? remoteAddress) =>
        clientKey.Fingerprint == fingerprint ? "test-client" : null;
}
