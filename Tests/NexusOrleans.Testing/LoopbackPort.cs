using System.Net;
using System.Net.Sockets;

namespace NexusOrleans.Testing;

/// <summary>Free TCP ports on 127.0.0.1 for servers a test starts.</summary>
/// <remarks>
/// A port is only known free when checked, and the server binds it a moment later. Ports the system hands out as
/// ephemeral ones are also what every outgoing connection (a test's WebSocket or HTTP client) takes as its source port,
/// so one of those can land on a port just checked and the server then fails with "address already in use". Ports are
/// therefore drawn at random from below the system's ephemeral range (Linux: net.ipv4.ip_local_port_range), where no
/// client connection ever lands, and checked by binding them; only tests starting servers at the same moment compete.
/// </remarks>
public static class LoopbackPort
{
    private const int Lowest = 20_000;
    private static readonly int Highest = EphemeralRangeStart() - 1;

    /// <summary>A port nothing listens on right now, outside the range clients' source ports come from.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(Lowest, Highest + 1);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        using var fallback = new TcpListener(IPAddress.Loopback, 0);
        fallback.Start();
        return ((IPEndPoint)fallback.LocalEndpoint).Port;
    }

    private static int EphemeralRangeStart()
    {
        const int linuxDefault = 32_768;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.TryParse(range[0], out var start) && start > Lowest + 1_000 ? start : linuxDefault;
        }
        catch (IOException)
        {
            return linuxDefault;
        }
        catch (UnauthorizedAccessException)
        {
            return linuxDefault;
        }
    }
}
