using Registry.Tests.Infrastructure;

namespace Registry.Tests.Scripts;

/// <summary>
/// <c>scripts/bench.sh</c> run whole, as a newcomer runs it from a fresh clone, at its smallest size
/// (BENCH_SIZES=1000), with short wrk runs, next to no warm-ups and the light key derivation the suite's
/// registries take: every step, the references included, must get to the
/// table. It needs nothing that only the tests write (the Hardhat compile's artifacts). It times nothing
/// it asserts, so it runs beside the other classes (its figures at this size say nothing).
/// </summary>
[TakesAbout(90)]
public sealed class BenchScriptTests
{
    [Fact]
    public async Task Bench_runs_whole_at_its_smallest_size_and_prints_every_row()
    {
        var (exitCode, output) = await ProgramRunner.RunAsync("bash", ["scripts/bench.sh"], start =>
        {
            start.WithoutRegistrySettings();
            start.Environment["BENCH_SIZES"] = "1000";
            start.Environment["BENCH_WRK_SECONDS"] = "1";
            start.Environment["BENCH_SCALE"] = "10000";
            start.Environment["BENCH_SCALE_LOOKUPS"] = "100";
            start.Environment["BENCH_SCALE_WARMUP_SECONDS"] = "0";
            start.Environment["BENCH_AWARDS"] = "5";
            start.Environment["BENCH_WRK_WARMUP_SECONDS"] = "0";
            start.Environment["BENCH_OFFERS"] = "10";
            start.Environment["BENCH_WARMUP_REQUESTS"] = "1";
            start.Environment["REGISTRY_LIGHT_KDF"] = "true";
        }, timeoutSeconds: 900);

        Assert.True(exitCode == 0, output);
        var table = output[output.LastIndexOf("== Results", StringComparison.Ordinal)..];
        Assert.Contains("POST /verify (ours", table);
        // POST /verify is also timed on every credential of the size in turn (1,000 different ones), beside its reference.
        Assert.Contains("| POST /verify, 1,000 different credentials in turn (ours: from the chain index, no node call) (requests/s) |", table);
        Assert.Contains("the contract's verify as one eth_call to the node per request", table);
        Assert.Contains("@openzeppelin/merkle-tree", output);
        // The registry on PostgreSQL (the test run installs its server): two instances on one database, and a
        // registry of 10,000 credentials (the smallest size of BENCH_SCALE) served by an instance started on it.
        Assert.Contains("| PostgreSQL, two instances: bulk issuance over HTTP, each 202 committed (credentials/s) |", table);
        Assert.Contains("| PostgreSQL, two instances: seal to proofs served (s) |", table);
        Assert.Contains("different credentials in turn, through instance 2 of 2 on PostgreSQL (requests/s) |", table);
        Assert.Contains("| PostgreSQL: GET /credentials/{id} in a registry of this many, median (ms) |", table);
        // Offers claimed through the VC API exchange, and single credentials issued through the VC API under wrk.
        Assert.Contains("| claim an offer (POST /exchanges/{id}: {}, then the wallet's presentation), median (ms) |", table);
        Assert.Contains("| POST /credentials/issue, one credential signed at once (eddsa-rdfc-2022) and queued for anchoring, p99 (ms) |", table);
    }
}
