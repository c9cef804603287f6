using System.Net;

namespace SecureActors.Protocol.Identity;

/// <summary>
/// The server's decision whether a client key may connect (authorized_clients). Called only after
/// the client's signature verified; a refusal aborts with access_denied.
/// </summary>
public interface IClientAuthorizer
{
    /// <summary>Returns the display name to use, or null to refuse.</summary>
    /// <param name="clientKey">The verified client key.</param>
    /// <param name="remoteAddress">The connection's source address, when known.</param>
    string? Authorize(PeerIdentity clientKey, IPAddress? remoteAddress);
}
