using System.Net;
using System.Net.Sockets;

namespace SecureActors.Cli.Tests.Commands;

// `secure-actors serve` warns about settings it does not know, naming where they were written, and still starts;
// here the port is taken, so the command ends at once with its bind error after the warning.
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_UnknownSetting_WarnsWithItsOriginBeforeStarting()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await SecureActorsCli.RunAsync(
            ["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "server.protocol.client-auth = required"],
            output,
            error);

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1, exit);
        Assert.Contains("unknown setting server.protocol.client-auth; it has no effect", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines.Skip(1), line => line.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }
}
