using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Dispatch;

/// <summary>A message together with the actor that sent it, as it sits in a mailbox.</summary>
/// <remarks>A struct so that queueing a message allocates nothing beyond the queue's own storage.</remarks>
public readonly record struct Envelope(object Message, IActorRef Sender);
