using System.Diagnostics;

namespace Registry.Tests.Infrastructure;

/// <summary>
/// A program the tests start and own (a node, the registry, scripts/start.sh, a static server): its
/// output kept line by line, waits with deadlines that report that output, and a kill of its whole
/// process tree when the test ends, whatever happened. The one harness every such program runs in.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>What the test calls it in its messages ("the Hardhat node", "scripts/start.sh").</summary>
    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output and standard error, interleaved as the lines arrived.</summary>
    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>The last <paramref name="lines"/> lines of output, for a message that says why something failed.</summary>
    public string Tail(int lines = 30)
    {
        lock (_output) return string.Join('\n', _output.TakeLast(lines));
    }

    /// <summary>Starts <paramref name="start"/> (run from the repository root unless it says otherwise) with its output captured.</summary>
    public static ChildProcess Start(ProcessStartInfo start, string name)
    {
        if (string.IsNullOrEmpty(start.WorkingDirectory)) start.WorkingDirectory = RepositoryRoot.Path;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => child.Add(e.Data);
        process.ErrorDataReceived += (_, e) => child.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Asks <paramref name="probe"/> until it answers (not null) and returns the answer; fails at once,
    /// with the output, when the program exits first, and after <paramref name="timeout"/> otherwise.
    /// Exceptions of the kinds in <paramref name="notYet"/> mean "not ready yet".
    /// </summary>
    public async Task<T> WaitUntilReadyAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, params Type[] notYet) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with code {ExitCodeAfterOutput()} before it was ready:\n{Tail()}");
            try
            {
                if (await probe() is { } answer) return answer;
            }
            catch (Exception e) when (notYet.Any(kind => kind.IsInstanceOfType(e))) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:0} s:\n{Tail()}");
    }

    /// <summary>Waits for the program to end by itself and returns its exit code, all its output read.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:0} s:\n{Tail()}");
        }
        return ExitCodeAfterOutput();
    }

    /// <summary>Sends a signal with kill(1): to the program alone, or to the process group it leads.</summary>
    public async Task SignalAsync(string signal, bool wholeGroup = false)
    {
        var result = await ProgramRunner.RunAsync("kill", ["-s", signal, "--", wholeGroup ? $"-{Pid}" : Pid.ToString()]);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    /// <summary>Stops the program as an operator does, with SIGTERM, and waits until it has exited and written everything.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        await SignalAsync("TERM");
        return await WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>Kills the program and its children with SIGKILL, as a crash or an out-of-memory killer would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private int ExitCodeAfterOutput()
    {
        _process.WaitForExit(); // the redirected output is read to its end
        return _process.ExitCode;
    }

    private void Add(string? line)
    {
        if (line is not null) lock (_output) _output.Add(line);
    }

    /// <summary>Whatever the test left running: the program and every process under it.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
