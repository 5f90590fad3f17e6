using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Registry.Credentials;
using Registry.LinkedData;
using Registry.Verification;

namespace Registry.Bench;

/// <summary>
/// A quick reading of what <see cref="VerifyBenchmarks"/> measures, step by step, for a shared machine:
/// the CPU time of the whole process (the garbage collector's threads included) and the bytes allocated,
/// per credential, over the same rotation of 1,000. CPU time is far steadier than wall-clock time when
/// other processes compete for the cores. Run with <c>verify-cost</c> as the only argument.
/// </summary>
public static class VerifyCost
{
    private const int Rounds = 5;
    private const int PerRound = 2_000;

    public static void Run(bool together = false)
    {
        var bench = new VerifyBenchmarks();
        bench.Setup();
        if (together)
        {
            var second = new VerifyBenchmarks();
            second.Setup();
            Together([bench, second]);
            return;
        }
        var steps = new (string Name, Func<int, int> Step)[]
        {
            ("POST /verify pipeline and answer", _ => bench.VerifyRotation()),
            ("  parse (StrictJson)", i => StrictJson.Parse(bench.Body(i)) is null ? 0 : 1),
            ("  parse + format check", i => CredentialVerifier.Check("format").RunAsync(
                new VerificationContext(StrictJson.Parse(bench.Body(i)), null!, DateTimeOffset.UtcNow), default).Result.Passed ? 1 : 0),
            ("  digest (JCS + Keccak)", i => CredentialDigest.Compute(default, bench.Credential(i)).IsZero ? 0 : 1),
            ("  signature check", _ => bench.SignatureRotation() ? 1 : 0),
            ("    toRdf of the credential", _ => bench.ToRdfRotation()),
            ("      its expansion alone", i => Expand(bench.Credential(i)).Count),
            ("    RDFC-1.0 of the credential", i => Rdfc10.CanonicalizeToUtf8(bench.Quads(i)).Length),
            ("    Ed25519 (libsodium)", i => bench.CheckEd25519(i) ? 1 : 0),
            ("  answer (view + JSON)", i => bench.Answer(i)),
        };
        Console.WriteLine($"{"step",-40} {"CPU µs/credential",18} {"bytes/credential",17}");
        foreach (var (name, step) in steps)
        {
            var (cpu, bytes) = Measure(step);
            Console.WriteLine($"{name,-40} {cpu.ToString("F1", CultureInfo.InvariantCulture),18} {bytes.ToString("N0", CultureInfo.InvariantCulture),17}");
        }
    }

    private static readonly JsonLdOptions Safe = new() { Safe = true };

    private static List<object?> Expand(JsonObject document) =>
        new JsonLdProcessor(Safe).Expand(document, JsonLdProcessor.InitialContext(null), null);

    /// <summary>
    /// The pipeline on two threads at once, as the server runs it on two cores: CPU time per credential,
    /// and what the garbage collector did (collections by generation, its pauses), under whatever GC
    /// settings the process was started with (DOTNET_gcServer, DOTNET_GCDynamicAdaptationMode, DOTNET_GCgen0size).
    /// </summary>
    private static void Together(VerifyBenchmarks[] benches)
    {
        const int PerThread = 10_000;
        foreach (var bench in benches) bench.VerifyRotation();
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var collections = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        var pausedBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(benches, new ParallelOptions { MaxDegreeOfParallelism = benches.Length }, bench =>
        {
            for (var i = 0; i < PerThread; i++) bench.VerifyRotation();
        });
        clock.Stop();
        process.Refresh();
        var count = PerThread * benches.Length;
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / count;
        var after = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        var paused = GC.GetTotalPauseDuration() - pausedBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{benches.Length} threads, {count:N0} credentials: {count / clock.Elapsed.TotalSeconds:N0}/s, {cpu:F1} µs CPU each; server GC {System.Runtime.GCSettings.IsServerGC}; " +
            $"collections gen0 {after[0] - collections[0]}, gen1 {after[1] - collections[1]}, gen2 {after[2] - collections[2]}; paused {paused.TotalMilliseconds:N0} ms " +
            $"({paused.TotalMilliseconds * 1000 / count:F1} µs a credential)"));
    }

    /// <summary>The least CPU time per call over the rounds, and the bytes allocated per call.</summary>
    private static (double CpuMicroseconds, long Bytes) Measure(Func<int, int> step)
    {
        var sink = 0;
        for (var i = 0; i < PerRound; i++) sink += step(i % 1_000);
        var best = double.MaxValue;
        long bytes = 0;
        var process = Process.GetCurrentProcess();
        for (var round = 0; round < Rounds; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < PerRound; i++) sink += step(i % 1_000);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / PerRound;
            best = Math.Min(best, cpu);
            bytes = allocated / PerRound;
        }
        GC.KeepAlive(sink);
        return (best, bytes);
    }
}
