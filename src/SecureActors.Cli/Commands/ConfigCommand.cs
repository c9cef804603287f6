using System.CommandLine;
using SecureActors.Hocon;

namespace SecureActors.Cli.Commands;

/// <summary><c>secure-actors config show FILE [--with-defaults] [-c key=value]…</c>: prints the resolved configuration as JSON.</summary>
internal static class ConfigCommand
{
    public static Command Build()
    {
        var file = new Argument<FileInfo>("file") { Description = "The HOCON file to resolve (includes, substitutions and ${ENV} fallbacks applied)." };
        var withDefaults = new Option<bool>("--with-defaults") { Description = "Layer the file over the product's embedded reference.conf defaults." };
        var overrides = new Option<string[]>("--set", "-c")
        {
            Description = "Override a setting, in HOCON syntax (key=value); repeatable, later ones win.",
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.ZeroOrMore,
        };

        var show = new Command("show", "Print FILE's fully resolved configuration as JSON on stdout.") { file, withDefaults, overrides };
        show.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            try
            {
                var defaults = result.GetValue(withDefaults) ? ProductDefaults.Load() : [];
                var config = ConfigFactory.Load(result.GetValue(file)!.FullName, defaults, result.GetValue(overrides) ?? []);
                output.WriteLine(config.ToJson());
                return 0;
            }
            catch (ConfigException e)
            {
                error.WriteLine($"[!] {e.Message}");
                return 1;
            }
        });

        return new Command("config", "Inspect configuration files.") { show };
    }
}
