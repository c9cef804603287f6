using System.Net;
using SecureActors.Hocon;

namespace SecureActors.Server.Listener;

/// <summary><c>server.limits</c>: what the listener admits.</summary>
internal sealed record LimitSettings(
    int MaxConnections,
    int MaxHandshaking,
    int EarlyDropFrom,
    int PerSourceMaxConnections,
    int PerSourceMaxHandshaking,
    double PerSourceHandshakesPerSecond,
    int PerSourceHandshakeBurst,
    IReadOnlySet<IPAddress> Exempt,
    TimeSpan RefusalLinger)
{
    public static LimitSettings FromConfig(Config limits)
    {
        var exempt = new HashSet<IPAddress>();
        foreach (var text in limits.GetStringList("per-source.exempt"))
        {
            if (!IPAddress.TryParse(text, out var address))
            {
                throw new ConfigException($"server.limits.per-source.exempt: '{text}' is not an IP address");
            }

            exempt.Add(address);
        }

        return new LimitSettings(
            limits.GetInt("max-connections"),
            limits.GetInt("max-handshaking"),
            limits.GetInt("early-drop-from"),
            limits.GetInt("per-source.max-connections"),
            limits.GetInt("per-source.max-handshaking"),
            limits.GetDouble("per-source.handshakes-per-second"),
            limits.GetInt("per-source.handshake-burst"),
            exempt,
            limits.GetTimeSpan("refusal-linger"));
    }
}
