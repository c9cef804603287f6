using System.CommandLine;
using SecureActors.Cli.Commands;

namespace SecureActors.Cli;

/// <summary>The `secure-actors` command tree; thin: it parses arguments, loads configuration and calls the libraries.</summary>
internal static class SecureActorsCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("SecureActors: an actor-based secure messaging server, its clients and tools.");
        root.Subcommands.Add(ConfigCommand.Build());
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(ConnectCommand.Build());
        root.Subcommands.Add(LoadCommand.Build());
        return root;
    }

    /// <summary>
    /// How long Ctrl-C or SIGTERM may take to finish gracefully before the process is ended anyway. System.CommandLine
    /// defaults to 2 s, shorter than the server's drain phase and the load client's drain, which would cut both short;
    /// this bound still ends a shutdown that hangs.
    /// </summary>
    internal static readonly TimeSpan GracefulTerminationLimit = TimeSpan.FromSeconds(45);

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = GracefulTerminationLimit };
        return Build().Parse(args).InvokeAsync(invocation, cancellationToken);
    }
}
