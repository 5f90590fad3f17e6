using BenchmarkDotNet.Running;

// Runs every benchmark: dotnet run -c Release --project bench/Registry.Bench -- --filter '*'
// Pick some with a filter, e.g. --filter '*Keccak*'. `verify-cost` reads POST /verify's cost step by step (VerifyCost).
if (args is ["verify-cost"])
{
    Registry.Bench.VerifyCost.Run();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Registry.Bench.VerifyBenchmarks).Assembly).Run(args);
