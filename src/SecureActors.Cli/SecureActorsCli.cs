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

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var invocation = new InvocationConfiguration { Output = output, Error = error };
        return Build().Parse(args).InvokeAsync(invocation, cancellationToken);
    }
}
