using SecureActors.Hocon;

namespace SecureActors.Client.Interactive;

/// <summary>Settings of <c>secure-actors connect</c> beyond the connection itself (<c>client.interactive</c>).</summary>
internal sealed record InteractiveSettings(IReadOnlyList<string> ExitCommands)
{
    public static InteractiveSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new InteractiveSettings(config.GetStringList("client.interactive.exit-commands"));
    }
}
