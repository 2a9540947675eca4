using System.Net;
using System.Net.Sockets;

namespace Postroom.Testing;

/// <summary>Finds TCP ports on 127.0.0.1 that nothing listens on, for servers started by tests.</summary>
/// <remarks>
/// A port found free can still be taken by someone else before the server binds it; callers that
/// start external servers should retry with a new port when the start fails.
/// </remarks>
public static class FreePort
{
    /// <summary>A port the OS reports free right now (it hands out an unused ephemeral port).</summary>
    public static int Get()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// The first of <paramref name="count"/> consecutive free ports, for servers that derive
    /// several ports from one. Picked below Linux's ephemeral range (32768+) so outgoing
    /// connections are unlikely to take one meanwhile.
    /// </summary>
    public static int GetConsecutive(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(15000, 32000 - count);
            if (Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"Found no {count} consecutive free TCP ports on 127.0.0.1.");
    }

    /// <summary>Whether <paramref name="port"/> can be bound on 127.0.0.1 right now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
