using SecureActors.Actors.Scheduling;

namespace SecureActors.Actors.Actor;

/// <summary>Things a system needs that are objects rather than configuration.</summary>
public sealed record ActorSystemSetup
{
    /// <summary>The Serilog logger actors write to; <see cref="Serilog.Log.Logger"/> when null.</summary>
    public Serilog.ILogger? Logger { get; init; }

    /// <summary>Builds the scheduler (the TestKit passes one it drives by hand); the timer-based one when null.</summary>
    public Func<IScheduler>? SchedulerFactory { get; init; }
}
