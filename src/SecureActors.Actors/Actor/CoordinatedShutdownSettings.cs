using SecureActors.Hocon;

namespace SecureActors.Actors.Actor;

/// <summary>The settings under <c>actors.coordinated-shutdown</c>.</summary>
public sealed record CoordinatedShutdownSettings(
    TimeSpan DefaultPhaseTimeout,
    bool TerminateActorSystem,
    bool RunByActorSystemTerminate,
    bool RunByClrShutdownHook,
    IReadOnlyList<CoordinatedShutdownSettings.Phase> Phases)
{
    /// <summary>One phase: its name, timeout, whether to carry on after a failure, and the phases before it.</summary>
    public sealed record Phase(string Name, TimeSpan Timeout, bool Recover, IReadOnlyList<string> DependsOn);

    /// <summary>Reads the settings from a full configuration.</summary>
    public static CoordinatedShutdownSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = config.GetConfig("actors.coordinated-shutdown");
        var defaultTimeout = section.GetTimeSpan("default-phase-timeout");
        var phasesSection = section.GetConfig("phases");
        var phases = new List<Phase>();
        foreach (var name in phasesSection.GetKeys())
        {
            var phase = phasesSection.GetConfig(name);
            phases.Add(new Phase(
                name,
                phase.HasPath("timeout") ? phase.GetTimeSpan("timeout") : defaultTimeout,
                !phase.HasPath("recover") || phase.GetBoolean("recover"),
                phase.HasPath("depends-on") ? phase.GetStringList("depends-on") : []));
        }

        return new CoordinatedShutdownSettings(
            defaultTimeout,
            section.GetBoolean("terminate-actor-system"),
            section.GetBoolean("run-by-actor-system-terminate"),
            section.GetBoolean("run-by-clr-shutdown-hook"),
            phases);
    }
}
