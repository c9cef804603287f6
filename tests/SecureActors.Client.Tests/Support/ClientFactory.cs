namespace SecureActors.Client.Tests.Support;

internal static class ClientFactory
{
    /// <summary>Options for a loopback server, pinned to its key, with deadlines short enough for tests.</summary>
    public static SecureClientOptions Pinned(int port, string fingerprint) => SecureClientOptions.Default with
    {
        Host = "127.0.0.1",
        Port = port,
        ServerFingerprint = fingerprint,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        HandshakeTimeout = TimeSpan.FromSeconds(10),
        RequestTimeout = TimeSpan.FromSeconds(10),
        CloseTimeout = TimeSpan.FromSeconds(5),
    };

    public static SecureClientOptions Pinned(TestServer server) => Pinned(server.Port, server.Fingerprint);

    /// <summary>A loopback port that was free a moment ago and has nothing listening on it now.</summary>
    public static int UnusedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
