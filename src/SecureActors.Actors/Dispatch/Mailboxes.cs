using System.Collections.Concurrent;
using SecureActors.Hocon;

namespace SecureActors.Actors.Dispatch;

/// <summary>Builds message queues from mailbox sections (<c>mailbox-type</c>, <c>mailbox-capacity</c>); missing keys come from <c>default-mailbox</c>.</summary>
public sealed class Mailboxes
{
    /// <summary>The unbounded mailbox actors get by default.</summary>
    public const string DefaultMailboxId = "actors.actor.default-mailbox";

    /// <summary>The ready-made bounded mailbox.</summary>
    public const string BoundedMailboxId = "actors.actor.bounded-mailbox";

    private readonly Config _config;

    // The configuration is fixed for the system's life, and reading a section (path lookups, a
    // fallback merge) cost more than the rest of spawning an actor: a server spawns one per
    // connection. A section that fails to read is not kept, so every spawn reports it.
    private readonly ConcurrentDictionary<string, MailboxSettings> _settings = new(StringComparer.Ordinal);

    internal Mailboxes(Config config) => _config = config;

    internal MessageQueue CreateQueue(string id)
    {
        var settings = _settings.GetOrAdd(id, ReadSettings);
        return settings.Bounded ? new BoundedMessageQueue(settings.Capacity) : new UnboundedMessageQueue();
    }

    private MailboxSettings ReadSettings(string id)
    {
        if (!_config.HasPath(id))
        {
            throw new ConfigException($"Mailbox [{id}] is not configured (no section at that path).");
        }

        return MailboxSettings.FromConfig(_config.GetConfig(id).WithFallback(_config.GetConfig(DefaultMailboxId)));
    }
}

/// <summary>One mailbox section.</summary>
internal sealed record MailboxSettings(bool Bounded, int Capacity)
{
    public static MailboxSettings FromConfig(Config section)
    {
        var type = section.GetString("mailbox-type");
        var capacity = section.GetInt("mailbox-capacity");
        return type switch
        {
            "unbounded" => new MailboxSettings(false, capacity),
            "bounded" when capacity > 0 => new MailboxSettings(true, capacity),
            "bounded" => throw new ConfigException($"A bounded mailbox needs mailbox-capacity > 0 (got {capacity})."),
            _ => throw new ConfigException($"Unknown mailbox-type '{type}' (use unbounded or bounded)."),
        };
    }
}
