using SecureActors.Hocon;

namespace SecureActors.Server.Handler;

/// <summary><c>server.handler</c>: which handler runs and how often it may be restarted.</summary>
/// <remarks><c>echo</c> answers inside each session (<see cref="EchoResponder"/>); <c>echo-actor</c> is the same echo as the shared handler actor (<see cref="EchoHandler"/>).</remarks>
internal sealed record HandlerSettings(string Type, int MaxRestarts, TimeSpan RestartWindow)
{
    public static HandlerSettings FromConfig(SettingsSection handler)
    {
        var type = handler.String("type");
        if (type is not ("echo" or "echo-actor"))
        {
            throw handler.Invalid("type", "is not a built-in handler (echo, echo-actor); plug your own in through the hosting API");
        }

        return new HandlerSettings(type, handler.Int("max-restarts", 0), handler.Duration("restart-window"));
    }
}
