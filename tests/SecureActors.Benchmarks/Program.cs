using BenchmarkDotNet.Running;

// Every benchmark class in this assembly is selectable by filter, e.g.
//   dotnet run -c Release --project tests/SecureActors.Benchmarks -- --filter '*PingPong*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
