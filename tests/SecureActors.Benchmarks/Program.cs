using BenchmarkDotNet.Running;
using SecureActors.Benchmarks.Faults;
using SecureActors.Benchmarks.Scenarios;
using SecureActors.Benchmarks.Soak;
using SecureActors.Benchmarks.TlsPeer;

// `scenarios`, `tls-server` and `tls-load` are the end-to-end scenario runner and its SslStream
// peer (make bench-scenarios; see docs/PERFORMANCE.md); `soak` is the bounded churn run (Soak/);
// `faults-sigterm` is the server process SIGTERMed under thousands of sessions (Faults/, make faults).
// Anything else goes to BenchmarkDotNet, where
// every benchmark class in this assembly is selectable by filter, e.g.
//   dotnet run -c Release --project tests/SecureActors.Benchmarks -- --filter '*PingPong*'
Func<string[], Task<int>>? command = args.FirstOrDefault() switch
{
    "scenarios" => ScenarioRunner.RunAsync,
    "tls-server" => TlsEchoServer.RunAsync,
    "tls-load" => TlsLoadClient.RunAsync,
    "soak" => SoakRunner.RunAsync,
    "faults-sigterm" => SigtermUnderLoadRunner.RunAsync,
    _ => null,
};
if (command is null)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}

try
{
    return await command(args[1..]);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    await Console.Error.WriteLineAsync($"[!] {args[0]}: {e.Message}");
    return 2;
}
