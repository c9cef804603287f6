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
    public static LimitSettings FromConfig(SettingsSection limits)
    {
        var perSource = limits.Section("per-source");
        var exempt = new HashSet<IPAddress>();
        foreach (var text in perSource.StringList("exempt"))
        {
            if (!IPAddress.TryParse(text, out var address))
            {
                throw perSource.Invalid("exempt", $"holds '{text}', which is not an IP address");
            }

            exempt.Add(address);
        }

        return new LimitSettings(
            limits.Int("max-connections", 1),
            limits.Int("max-handshaking", 1),
            limits.Int("early-drop-from", 0),
            perSource.Int("max-connections", 1),
            perSource.Int("max-handshaking", 1),
            perSource.Positive("handshakes-per-second"),
            perSource.Int("handshake-burst", 1),
            exempt,
            limits.Duration("refusal-linger", zeroAllowed: true));
    }
}
