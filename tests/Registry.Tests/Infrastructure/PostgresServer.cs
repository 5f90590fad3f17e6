using System.Diagnostics;
using Npgsql;

namespace Registry.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests that run the registry on PostgreSQL: <c>initdb</c> into
/// a temporary folder and <c>pg_ctl start</c> on a free loopback port, as the <c>postgres</c> user when the
/// tests run as root (PostgreSQL refuses to run as root). One cluster serves the whole run, started at
/// first need and stopped when the test process exits; each test takes a database of its own. When the
/// run's setting <c>REGISTRY_TEST_POSTGRES_PORT</c> names the port of a cluster already running on
/// loopback (user <c>postgres</c>, trusted), that one serves the run instead and is left running: this is
/// how scripts/test.sh gives one cluster to both of its .NET passes, which it starts before them and stops
/// after. scripts/test.sh installs Debian's <c>postgresql</c> package when no server is on the machine.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Shared = new(() => Given() ?? Start(SharedPrefix), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The run's setting naming a running cluster's port.</summary>
    public const string PortSetting = "REGISTRY_TEST_POSTGRES_PORT";

    private readonly string _bin;
    private readonly string _folder;
    private readonly string? _runAs;

    private PostgresServer(string bin, string folder, int port, string? runAs)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
        _runAs = runAs;
    }

    public int Port { get; }

    /// <summary>The run's cluster, started at first need.</summary>
    public static PostgresServer Instance => Shared.Value;

    /// <summary>A cluster of the caller's own, for a test that stops and starts it: stop it with <see cref="Stop"/>.</summary>
    public static PostgresServer StartOwn() => Start(OwnPrefix);

    private const string SharedPrefix = "registry-pg-";
    // A test's own cluster is down for a while on purpose: the sweep below leaves it alone unless it is a day old.
    private const string OwnPrefix = "registry-pgown-";
    private bool _stopped;

    /// <summary>A new, empty database on the run's cluster: its <c>postgresql://</c> URL, as REGISTRY_DATABASE_URL takes it.</summary>
    public static string NewDatabaseUrl() => Instance.NewDatabase();

    /// <summary>A new, empty database on this cluster: its <c>postgresql://</c> URL.</summary>
    public string NewDatabase()
    {
        var server = this;
        var name = $"registry_{Guid.NewGuid():N}";
        using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={server.Port};Username=postgres;Database=postgres;Pooling=false");
        connection.Open();
        using var create = new NpgsqlCommand($"create database {name}", connection);
        create.ExecuteNonQuery();
        return $"postgresql://postgres@127.0.0.1:{server.Port}/{name}";
    }

    /// <summary>The folder of PostgreSQL's programs: the newest version Debian's packages installed.</summary>
    public static string? FindBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
            : null;

    /// <summary>The cluster the run's setting names, if it names one: used, never stopped.</summary>
    private static PostgresServer? Given()
    {
        var text = Environment.GetEnvironmentVariable(PortSetting);
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!int.TryParse(text, out var port) || port is < 1 or > 65535)
            throw new InvalidOperationException($"{PortSetting}={text} is not a port.");
        return new PostgresServer("", "", port, null) { _stopped = true };
    }

    private static PostgresServer Start(string prefix)
    {
        var bin = FindBin() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): scripts/test.sh installs it, or run apt-get install postgresql.");
        var root = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || GetUid() == 0;
        var runAs = root ? "postgres" : null;
        // Folders of earlier runs whose server is not running (a test process killed before it could delete its own).
        // A folder younger than an hour may be another run's cluster being initialised (no pid file yet).
        var stale = Directory.EnumerateDirectories(Path.GetTempPath(), SharedPrefix + "*").Where(d => Directory.GetLastWriteTimeUtc(d) < DateTime.UtcNow.AddHours(-1))
            .Concat(Directory.EnumerateDirectories(Path.GetTempPath(), OwnPrefix + "*").Where(d => Directory.GetLastWriteTimeUtc(d) < DateTime.UtcNow.AddDays(-1)));
        foreach (var folderLeft in stale)
            if (!File.Exists(Path.Combine(folderLeft, "data", "postmaster.pid")))
                try { Directory.Delete(folderLeft, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        var folder = Path.Combine(Path.GetTempPath(), $"{prefix}{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        if (runAs is not null) Run("chown", ["-R", $"{runAs}:{runAs}", folder], null);
        var server = new PostgresServer(bin, folder, FreePorts.Next(), runAs);
        server.Tool("initdb", ["-D", Path.Combine(folder, "data"), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
        server.Tool("pg_ctl", ["-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "start",
            "-o", $"-p {server.Port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    /// <summary>Stops the cluster (if it runs) and deletes its folder; once.</summary>
    public void Stop()
    {
        if (_stopped) return;
        _stopped = true;
        try
        {
            if (File.Exists(Path.Combine(_folder, "data", "postmaster.pid"))) Tool("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Stops the server at once, as a crash would (<c>pg_ctl stop -m immediate</c>): its clients' connections break.</summary>
    public void Crash() => Tool("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]);

    /// <summary>Starts the server again after <see cref="Crash"/>, on the same port; it recovers from its write-ahead log.</summary>
    public void StartAgain()
    {
        Tool("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "start",
            "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=200"]);
    }

    private void Tool(string name, string[] arguments) => Run(Path.Combine(_bin, name), arguments, _runAs);

    private static void Run(string program, string[] arguments, string? runAs)
    {
        var start = runAs is null ? new ProcessStartInfo(program) : new ProcessStartInfo("runuser", ["-u", runAs, "--", program, .. arguments]);
        if (runAs is null) foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill();
            throw new TimeoutException($"{Path.GetFileName(program)} did not finish in 90 s.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output.Result}{errors.Result}");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetUid();
}
