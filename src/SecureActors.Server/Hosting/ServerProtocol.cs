namespace SecureActors.Server.Hosting;

/// <summary>Commands the hosting layer sends the server guardian during coordinated shutdown.</summary>
internal static class ServerProtocol
{
    /// <summary>service-unbind: stop accepting connections; answered when the port is closed.</summary>
    public sealed class StopAccepting
    {
        public static readonly StopAccepting Instance = new();

        private StopAccepting()
        {
        }
    }

    /// <summary>service-requests-done: close every session gracefully within <paramref name="Drain"/>; answered when all are gone.</summary>
    public sealed record DrainSessions(TimeSpan Drain);
}
