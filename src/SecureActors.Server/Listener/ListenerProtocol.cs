using System.Net;
using System.Net.Sockets;

namespace SecureActors.Server.Listener;

/// <summary>The listener's protocol: what its accept loop, its parent and shutdown tell it, and what it reports.</summary>
internal static class ListenerProtocol
{
    /// <summary>From the accept loop: a new connection (the listener owns the socket from here).</summary>
    public sealed record Accepted(Socket Socket);

    /// <summary>From the accept loop: accepting failed unexpectedly (the listener fails and is restarted).</summary>
    public sealed record AcceptFailed(Exception Cause);

    /// <summary>Event to the parent: listening on <paramref name="Endpoint"/>.</summary>
    public sealed record Bound(IPEndPoint Endpoint);

    /// <summary>Event to the parent: the address could not be bound, after every retry.</summary>
    public sealed record BindFailed(string Reason);

    /// <summary>Stop accepting and close the listening socket; answered with <see cref="Unbound"/>.</summary>
    public sealed class Unbind
    {
        public static readonly Unbind Instance = new();

        private Unbind()
        {
        }
    }

    /// <summary>The answer to <see cref="Unbind"/>.</summary>
    public sealed class Unbound
    {
        public static readonly Unbound Instance = new();

        private Unbound()
        {
        }
    }

    /// <summary>Shut every session down gracefully within <paramref name="Drain"/>; answered with <see cref="SessionsDrained"/>.</summary>
    public sealed record DrainSessions(TimeSpan Drain);

    /// <summary>The answer to <see cref="DrainSessions"/>: how many sessions had to be stopped at the deadline.</summary>
    public sealed record SessionsDrained(int Forced);

    /// <summary>Asks for the current counts; answered with <see cref="Counts"/>.</summary>
    public sealed class GetCounts
    {
        public static readonly GetCounts Instance = new();

        private GetCounts()
        {
        }
    }

    /// <summary>Open and handshaking connections, and refusals so far.</summary>
    public sealed record Counts(int Open, int Handshaking, long Refused);

    /// <summary>Timer: try binding again.</summary>
    public sealed class RetryBind
    {
        public static readonly RetryBind Instance = new();

        private RetryBind()
        {
        }
    }

    /// <summary>Timer: the drain deadline passed.</summary>
    public sealed class DrainDeadline
    {
        public static readonly DrainDeadline Instance = new();

        private DrainDeadline()
        {
        }
    }
}
