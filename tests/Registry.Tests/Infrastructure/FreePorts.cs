using System.Net;
using System.Net.Sockets;

namespace Registry.Tests.Infrastructure;

/// <summary>
/// Loopback ports for the programs a test starts. A port is taken from below the kernel's ephemeral
/// range (so no outgoing connection of this machine is given it meanwhile), is free when handed out,
/// and is never handed out twice by this test run (tests running in parallel cannot be given the same
/// one). Another program may still take it before ours binds it: <see cref="LocalNode"/> starts again
/// on another port when its node finds its port in use.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 20_000;
    private static readonly int Highest = EphemeralRangeStart() - 1;
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(Lowest, Highest + 1);
                if (HandedOut.Contains(port) || !IsFree(port)) continue;
                HandedOut.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"No free loopback port between {Lowest} and {Highest}.");
    }

    private static bool IsFree(int port)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port the kernel gives to outgoing connections (Linux: net.ipv4.ip_local_port_range).</summary>
    private static int EphemeralRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var start)
               && start > Lowest + 1_000
            ? start
            : 32_768;
    }
}
