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

    public static CryptoSettings FromConfig(SettingsSection testing) => new(testing.Int("crypto-fault-every", 0));
}
