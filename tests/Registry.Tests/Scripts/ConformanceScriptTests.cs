using Registry.Tests.Infrastructure;

namespace Registry.Tests.Scripts;

/// <summary>
/// `scripts/conformance.sh` run as a real process, without the W3C checkouts (docs/CONFORMANCE.md has a real run with
/// them): it refuses a missing or absent SUITES_DIR before it starts anything, and a folder that lacks the suites or
/// their helpers is a failure naming what is missing, not a pass; it leaves no registry running and no file behind.
/// </summary>
public sealed class ConformanceScriptTests
{
    [Fact]
    public async Task Without_SUITES_DIR_it_says_how_to_call_it_and_exits_2()
    {
        var result = await RunAsync([]);
        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains("Usage: scripts/conformance.sh SUITES_DIR", result.Output);
    }

    [Fact]
    public async Task A_folder_that_does_not_exist_is_refused_with_the_checkouts_it_should_hold_and_exit_code_2()
    {
        var missing = Path.Combine(TempFolder.Create(), "no-such-folder");
        var result = await RunAsync([missing]);
        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains($"SUITES_DIR '{missing}' is not a folder", result.Output);
        foreach (var repository in new[] { "vc-data-model-2.0-test-suite", "vc-di-eddsa-test-suite", "vc-test-suite-implementations", "data-integrity-test-suite-assertion" })
            Assert.Contains(repository, result.Output);
        Assert.DoesNotContain("Starting a registry", result.Output);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task A_folder_without_the_suites_fails_each_as_not_run_and_starts_no_registry()
    {
        var empty = TempFolder.Create();
        var result = await RunAsync([empty]);
        Assert.True(result.ExitCode == 1, result.Output);
        Assert.Contains($"vc-data-model-2.0-test-suite: could not run: vc-data-model-2.0-test-suite is not checked out in {empty}", result.Output);
        Assert.Contains($"vc-di-eddsa-test-suite: could not run: vc-di-eddsa-test-suite is not checked out in {empty}", result.Output);
        Assert.DoesNotContain("Starting a registry", result.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
    }

    /// <summary>
    /// A suite whose helpers are not checked out beside it cannot be installed from them (the script reaches no GitHub):
    /// it says which helper is missing, installs nothing, and leaves the suite's package.json as it was.
    /// </summary>
    [Fact]
    public async Task A_suite_whose_helper_is_not_checked_out_is_not_run_and_its_package_json_is_untouched()
    {
        var folder = TempFolder.Create();
        var suite = Directory.CreateDirectory(Path.Combine(folder, "vc-data-model-2.0-test-suite")).FullName;
        const string manifest = """
            {"name": "vc-data-model-2.0-test-suite", "type": "module",
             "dependencies": {"mocha": "^10.0.0", "vc-test-suite-implementations": "github:w3c/vc-test-suite-implementations"}}
            """;
        var packageJson = Path.Combine(suite, "package.json");
        await File.WriteAllTextAsync(packageJson, manifest);

        var result = await RunAsync([folder]);
        Assert.True(result.ExitCode == 1, result.Output);
        Assert.Contains($"vc-data-model-2.0-test-suite needs vc-test-suite-implementations, which is not checked out in {folder}", result.Output);
        Assert.Contains("vc-data-model-2.0-test-suite: could not run: its npm packages could not be installed", result.Output);
        Assert.Equal(manifest, await File.ReadAllTextAsync(packageJson));
        Assert.Equal(["package.json"], Directory.EnumerateFileSystemEntries(suite).Select(Path.GetFileName));
        Assert.DoesNotContain("Starting a registry", result.Output);
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string[] arguments) =>
        ProgramRunner.RunAsync("bash", ["scripts/conformance.sh", .. arguments], start => start.WithoutRegistrySettings(), timeoutSeconds: 60);
}
