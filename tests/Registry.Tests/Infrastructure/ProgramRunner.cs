using System.Diagnostics;

namespace Registry.Tests.Infrastructure;

/// <summary>Runs a program to its end and returns its exit code and output (standard output, then standard error).</summary>
public static class ProgramRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string program, IEnumerable<string> arguments, Action<ProcessStartInfo>? configure = null, int timeoutSeconds = 60)
    {
        var start = StartInfo(program, arguments);
        configure?.Invoke(start);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeoutSeconds} s.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A program run from the repository root, its output captured.</summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments) => new(program, arguments)
    {
        WorkingDirectory = RepositoryRoot.Path,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };

    /// <summary>Removes the REGISTRY_ settings the test host itself may have, so that a program sees only the test's.</summary>
    public static ProcessStartInfo WithoutRegistrySettings(this ProcessStartInfo start)
    {
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("REGISTRY_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        return start;
    }
}
