using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postroom.Ingress.Tests;

/// <summary>A bare TCP SMTP client for what real client libraries will not do: PROXY headers, half-sent messages.</summary>
internal sealed class RawSmtpClient : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly StreamReader _reader;
    private readonly Stream _stream;

    private RawSmtpClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, Encoding.ASCII);
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>, optionally from another loopback address.</summary>
    public static async Task<RawSmtpClient> ConnectAsync(int port, IPAddress? from = null)
    {
        var client = new TcpClient(new IPEndPoint(from ?? IPAddress.Loopback, 0));
        await client.ConnectAsync(IPAddress.Loopback, port);
        return new RawSmtpClient(client);
    }

    public async Task SendAsync(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Reads one reply (all its lines); returns the last line, or null when the server closed.</summary>
    public async Task<string?> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token);
            if (line is null || line.Length < 4 || line[3] == ' ')
            {
                return line;
            }
        }
    }

    /// <summary>True when the server closed the connection (FIN or reset) without a reply.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            return await ReadReplyAsync() is null;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            return true;
        }
    }

    /// <summary>Sends a command line and returns the reply's last line.</summary>
    public async Task<string?> CommandAsync(string command)
    {
        await SendAsync(command + "\r\n");
        return await ReadReplyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _reader.Dispose();
        _client.Dispose();
    }
}
