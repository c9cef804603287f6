using SecureActors.Hocon;

namespace SecureActors.Server.Crypto;

/// <summary>
/// Crypto-worker options that are not deployment (pool size, routing logic and dispatcher live in
/// <c>actors.actor.deployment."/server/crypto"</c>): only the test-only fault injection.
/// </summary>
internal sealed record CryptoSettings(int FaultEvery)
{
    /// <summary>The actor path the pool's deployment section is keyed by.</summary>
    public const string DeploymentPath = "/server/crypto";

    /// <summary>The dispatcher the pool's deployment names in reference.conf.</summary>
    public const string DispatcherPath = "server.crypto.dispatcher";

    public static CryptoSettings FromConfig(SettingsSection testing) => new(testing.Int("crypto-fault-every", 0));
}
