using SecureActors.Cli;

return await SecureActorsCli.RunAsync(args, Console.Out, Console.Error);
