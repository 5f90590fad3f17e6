using BenchmarkDotNet.Running;

// Runs every benchmark: dotnet run -c Release --project bench/Registry.Bench -- --filter '*'
// Pick some with a filter, e.g. --filter '*Keccak*'.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
