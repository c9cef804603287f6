using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Event;

/// <summary>A message that did not reach an actor that handled it; published on the event stream and logged (rate-limited).</summary>
public abstract record AllDeadLetters(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>A message sent to an actor that has stopped (or never existed).</summary>
public sealed record DeadLetter(object Message, IActorRef Sender, IActorRef Recipient) : AllDeadLetters(Message, Sender, Recipient);

/// <summary>A message no behaviour of the recipient handled.</summary>
public sealed record UnhandledMessage(object Message, IActorRef Sender, IActorRef Recipient) : AllDeadLetters(Message, Sender, Recipient);

/// <summary>A message the runtime dropped on purpose, e.g. because a bounded mailbox was full.</summary>
public sealed record Dropped(object Message, string Reason, IActorRef Sender, IActorRef Recipient) : AllDeadLetters(Message, Sender, Recipient);
