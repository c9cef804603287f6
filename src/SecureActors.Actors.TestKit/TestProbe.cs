using SecureActors.Actors.Actor;

namespace SecureActors.Actors.TestKit;

/// <summary>A test actor of its own: pass <see cref="Ref"/> to the code under test, then assert on what it receives.</summary>
public sealed class TestProbe : TestKitBase
{
    internal TestProbe(ActorSystem system, TestKitSettings settings, TestLogSink sink, string name)
        : base(system, settings, sink, name)
    {
    }

    /// <summary>The probe's reference.</summary>
    public IActorRef Ref => TestActor;

    /// <summary>Sends <paramref name="message"/> to <paramref name="actor"/> with the probe as sender.</summary>
    public void Tell(IActorRef actor, object message) => Send(actor, message);

    /// <inheritdoc />
    public override string ToString() => $"TestProbe({Ref.Path})";
}
