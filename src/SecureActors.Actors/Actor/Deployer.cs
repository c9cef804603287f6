using SecureActors.Actors.Routing;
using SecureActors.Hocon;

namespace SecureActors.Actors.Actor;

/// <summary>
/// Applies <c>actors.actor.deployment</c> to actors created under /user: a section named by the
/// actor's path below /user (elements may be <c>*</c>) can set its router, number of routees,
/// dispatcher and mailbox. Config wins over code, but a router is only applied to Props that
/// already have one (<see cref="FromConfig"/> or a pool).
/// </summary>
internal sealed class Deployer
{
    private readonly List<(string[] Pattern, Deploy Deploy)> _entries = [];

    public Deployer(Config config)
    {
        var deployment = config.GetConfig("actors.actor.deployment");
        var defaults = deployment.GetConfig("default");
        DefaultVirtualNodesFactor = defaults.GetInt("virtual-nodes-factor");
        foreach (var key in deployment.GetKeys())
        {
            if (key == "default")
            {
                continue;
            }

            var section = deployment.GetConfig(Quote(key)).WithFallback(defaults);
            var pattern = key.Split('/', StringSplitOptions.RemoveEmptyEntries);
            _entries.Add((pattern, Deploy.FromConfig(key, section)));
        }
    }

    public int DefaultVirtualNodesFactor { get; }

    private static string Quote(string key) => "\"" + key.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Returns the props to create at <paramref name="path"/> with deployment config applied.</summary>
    public Props Apply(Props props, ActorPath path)
    {
        var deploy = Lookup(path);
        if (deploy is not null)
        {
            if (deploy.Dispatcher.Length > 0)
            {
                props = props.WithDispatcher(deploy.Dispatcher);
            }

            if (deploy.Mailbox.Length > 0)
            {
                props = props.WithMailbox(deploy.Mailbox);
            }

            if (deploy.Router is { } router && props.RouterConfig is not NoRouter)
            {
                props = props.WithRouter(router.WithFallback(props.RouterConfig));
            }
            else if (deploy.RouterIsNone && props.RouterConfig is FromConfig)
            {
                props = props.WithRouter(NoRouter.Instance);
            }
        }

        if (props.RouterConfig is FromConfig)
        {
            throw new ConfigException($"Actor {path} is created with FromConfig but actors.actor.deployment has no router for \"{path.ToStringWithoutAddress()["/user".Length..]}\".");
        }

        return props;
    }

    private Deploy? Lookup(ActorPath path)
    {
        var elements = path.Elements;
        if (elements.Count < 2 || elements[0] != "user")
        {
            return null;
        }

        foreach (var (pattern, deploy) in _entries)
        {
            if (pattern.Length != elements.Count - 1)
            {
                continue;
            }

            var match = true;
            for (var i = 0; i < pattern.Length && match; i++)
            {
                match = pattern[i] == "*" || pattern[i] == elements[i + 1];
            }

            if (match)
            {
                return deploy;
            }
        }

        return null;
    }

    private sealed record Deploy(Pool? Router, bool RouterIsNone, string Dispatcher, string Mailbox)
    {
        public static Deploy FromConfig(string key, Config section)
        {
            var settings = new SettingsSection(section, $"actors.actor.deployment.\"{key}\"");
            var routerName = settings.String("router");
            var instances = routerName is "from-code" or "none" ? 0 : settings.Int("nr-of-instances", 1);
            var factor = settings.Int("virtual-nodes-factor", 1);
            Pool? router = routerName switch
            {
                "from-code" or "none" => null,
                "round-robin-pool" => new RoundRobinPool(instances),
                "smallest-mailbox-pool" => new SmallestMailboxPool(instances),
                "broadcast-pool" => new BroadcastPool(instances),
                "consistent-hashing-pool" => new ConsistentHashingPool(instances, factor),
                _ => throw settings.Invalid("router", "is not a known router (use round-robin-pool, smallest-mailbox-pool, consistent-hashing-pool, broadcast-pool, none or from-code)"),
            };
            return new Deploy(router, routerName == "none", section.GetString("dispatcher"), section.GetString("mailbox"));
        }
    }
}
