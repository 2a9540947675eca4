using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postroom.Operator.Tests;

/// <summary>A bare SMTP client: one transaction or one AUTH, returning the server's decisive reply.</summary>
public static class SmtpProbe
{
    /// <summary>Sends a message to <paramref name="recipient"/>; returns the first non-success reply, or the reply to the final dot.</summary>
    public static async Task<string> SendAsync(int port, string recipient)
    {
        await using var session = await Session.OpenAsync(port);
        foreach (var command in new[] { "EHLO probe.example", "MAIL FROM:<sender@remote.example>", $"RCPT TO:<{recipient}>", "DATA" })
        {
            var reply = await session.CommandAsync(command);
            if (reply is null || (reply[0] != '2' && reply[0] != '3'))
            {
                return reply ?? "(closed)";
            }
        }

        return await session.CommandAsync($"Subject: probe\r\n\r\nhello {recipient}\r\n.") ?? "(closed)";
    }

    /// <summary>AUTH PLAIN on the submission port; returns the reply (235 on success).</summary>
    public static async Task<string> AuthAsync(int port, string user, string password)
    {
        await using var session = await Session.OpenAsync(port);
        await session.CommandAsync("EHLO probe.example");
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
        return await session.CommandAsync("AUTH PLAIN " + token) ?? "(closed)";
    }

    /// <summary>Retries <paramref name="attempt"/> until its reply starts with <paramref name="code"/>; returns the elapsed time.</summary>
    public static async Task<TimeSpan> WaitForReplyAsync(Func<Task<string>> attempt, string code, TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        string last;
        do
        {
            last = await attempt();
            if (last.StartsWith(code, StringComparison.Ordinal))
            {
                return DateTime.UtcNow - started;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow - started < timeout);

        throw new TimeoutException($"no {code} reply within {timeout}; last reply: {last}");
    }

    private sealed class Session : IAsyncDisposable
    {
        private readonly TcpClient _client;
        private readonly NetworkStream _stream;
        private readonly StreamReader _reader;

        private Session(TcpClient client)
        {
            _client = client;
            _stream = client.GetStream();
            _reader = new StreamReader(_stream, Encoding.ASCII);
        }

        public static async Task<Session> OpenAsync(int port)
        {
            var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            var session = new Session(client);
            await session.ReadReplyAsync();
            return session;
        }

        public async Task<string?> CommandAsync(string command)
        {
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            return await ReadReplyAsync();
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _stream.WriteAsync("QUIT\r\n"u8.ToArray());
            }
            catch (IOException)
            {
                // Already closed by the server.
            }

            _reader.Dispose();
            await _stream.DisposeAsync();
            _client.Dispose();
        }

        private async Task<string?> ReadReplyAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                var line = await _reader.ReadLineAsync(timeout.Token);
                if (line is null || line.Length < 4 || line[3] == ' ')
                {
                    return line;
                }
            }
        }
    }
}
