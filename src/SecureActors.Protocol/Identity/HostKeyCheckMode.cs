namespace SecureActors.Protocol.Identity;

/// <summary>How the client treats a server not yet in known_hosts.</summary>
public enum HostKeyCheckMode
{
    /// <summary>Unknown hosts are refused (bad_certificate).</summary>
    Strict,

    /// <summary>Unknown hosts are trusted on first use and recorded (OpenSSH <c>StrictHostKeyChecking=accept-new</c>).</summary>
    AcceptNew,
}
