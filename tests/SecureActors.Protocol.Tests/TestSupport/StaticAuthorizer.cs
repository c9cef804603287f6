using System.Net;
using SecureActors.Protocol.Identity;

namespace SecureActors.Protocol.Tests.TestSupport;

/// <summary>Authorises every key (or only <paramref name="only"/>) under one display name.</summary>
internal sealed class StaticAuthorizer(string name, string? only = null) : IClientAuthorizer
{
    public string? Authorize(PeerIdentity clientKey, IPAddress? remoteAddress) =>
        only is null || only == clientKey.Fingerprint ? name : null;
}
