namespace SecureActors.Protocol.Handshake;

/// <summary>Whether the server asks the client to prove an identity (ServerParams.client_auth).</summary>
public enum ClientAuthPolicy : byte
{
    /// <summary>The client sends only Finished; it stays anonymous.</summary>
    None = 0,

    /// <summary>The client may send an identity; an empty one means anonymous.</summary>
    Optional = 1,

    /// <summary>The client must send an authorised identity (empty → certificate_required).</summary>
    Required = 2,
}
