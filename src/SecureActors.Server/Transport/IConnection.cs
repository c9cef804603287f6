using System.Net;
using SecureActors.Actors.Actor;

namespace SecureActors.Server.Transport;

/// <summary>What a session needs from its transport; <see cref="Connection"/> over a socket, or a fake in tests.</summary>
internal interface IConnection
{
    /// <summary>The client's address and port.</summary>
    IPEndPoint Remote { get; }

    /// <summary>Inbound backpressure shared with the receive loop.</summary>
    InboundGate Gate { get; }

    /// <summary>Starts the socket loops; they tell <paramref name="owner"/> what they observe.</summary>
    void Start(IActorRef owner);

    /// <summary>
    /// Queues bytes to send; false when the outbound queue is full (slow reader) or closing. The bytes
    /// are copied before this returns, so the caller may reuse its buffer at once.
    /// </summary>
    bool TrySend(ReadOnlyMemory<byte> bytes);

    /// <summary>Graceful close: flush the queue, then close.</summary>
    void Close();

    /// <summary>Immediate close.</summary>
    void Abort();
}
