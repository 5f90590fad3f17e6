using BenchmarkDotNet.Running;

// Runs every benchmark: dotnet run -c Release --project bench/Registry.Bench -- --filter '*'
// Pick some with a filter, e.g. --filter '*Keccak*'. `verify-cost` reads POST /verify's cost step by step,
// `verify-cost --together` on two threads with the garbage collector's work (VerifyCost).
if (args is ["verify-cost"] or ["verify-cost", "--together"])
{
    Registry.Bench.VerifyCost.Run(together: args.Length == 2);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Registry.Bench.VerifyBenchmarks).Assembly).Run(args);
