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

/// <summary>
/// Marks messages whose loss is expected and harmless (a late notice to an actor that has already stopped, say):
/// as dead letters they are published as <see cref="SuppressedDeadLetter"/> and never logged, as in Akka.NET.
/// </summary>
#pragma warning disable CA1040 // A marker interface, as Akka.NET's IDeadLetterSuppression is.
public interface IDeadLetterSuppression;
#pragma warning restore CA1040

/// <summary>A dead letter whose message is an <see cref="IDeadLetterSuppression"/>: seen by subscribers to <see cref="AllDeadLetters"/>, not to <see cref="DeadLetter"/>, and not logged.</summary>
public sealed record SuppressedDeadLetter(object Message, IActorRef Sender, IActorRef Recipient) : AllDeadLetters(Message, Sender, Recipient);
