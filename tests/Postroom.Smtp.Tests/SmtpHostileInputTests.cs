using System.Text;

namespace Postroom.Smtp.Tests;

/// <summary>Hostile and broken input: the server answers with the RFC error and stays healthy.</summary>
public sealed class SmtpHostileInputTests
{
    private const string Ehlo = $"""
        S: 220 *
        C: EHLO client.example
        {SmtpTestServer.EhloReply}
        """;

    private const string Envelope = """
        C: MAIL FROM:<a@remote.example>
        S: 250 *
        C: RCPT TO:<jane@example.com>
        S: 250 *
        C: DATA
        S: 354 *
        """;

    private readonly SmtpTestServer _server = new();

    [Fact]
    public async Task Nul_in_a_command_is_refused_and_the_session_goes_on()
    {
        await _server.RunAsync($"""
            {Ehlo}
            C: MAIL FROM:<a@remote\0.example>
            S: 500 5.5.2 NUL character in command
            C: NOOP
            S: 250 2.0.0 OK
            """);
    }

    [Fact]
    public async Task A_one_megabyte_line_is_refused_without_being_buffered()
    {
        var session = _server.Connect();
        await session.PlayAsync(Ehlo);
        var line = "MAIL FROM:<" + new string('a', 1024 * 1024) + "@remote.example>\r\n";
        for (var i = 0; i < line.Length; i += 64 * 1024)
        {
            await session.SendAsync(line.Substring(i, Math.Min(64 * 1024, line.Length - i)));
        }

        await session.PlayAsync("""
            S: 500 5.5.2 Line too long
            C: NOOP
            S: 250 2.0.0 OK
            """);
    }

    [Fact]
    public async Task Command_lines_over_512_octets_are_refused()
    {
        await _server.RunAsync($"""
            {Ehlo}
            C: NOOP {new string('x', 506)}
            S: 500 5.5.2 Line too long
            C: NOOP {new string('x', 505)}
            S: 250 2.0.0 OK
            """);
    }

    [Theory]
    [InlineData("NOOP\n")]
    [InlineData("NOOP\rNOOP\r\n")]
    public async Task Bare_line_endings_in_commands_are_refused(string raw)
    {
        await _server.RunAsync($"""
            S: 220 *
            C> {raw.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}
            S: 500 5.5.2 Bare LF or CR received; lines must end with CRLF
            C: NOOP
            S: 250 2.0.0 OK
            """);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_command_is_a_syntax_error()
    {
        var session = _server.Connect();
        await session.PlayAsync("S: 220 *");
        await session.SendAsync([.. "VRFY "u8, 0xC3, 0x28, .. "\r\n"u8]);
        await session.PlayAsync("""
            S: 501 5.5.4 *
            C: NOOP
            S: 250 2.0.0 OK
            """);
    }

    [Theory]
    // The 2023 SMTP smuggling variants: none of these ends the message; the real end comes later.
    [InlineData("\\n.\\n")]
    [InlineData("\\n.\\r\\n")]
    [InlineData("\\r.\\r")]
    [InlineData("\\r.\\r\\n")]
    [InlineData("\\r\\n.\\r")]
    [InlineData("\\r\\n.\\n")]
    public async Task Smuggling_end_of_data_variants_never_end_the_message(string fakeEnd)
    {
        await _server.RunAsync($"""
            {Ehlo}
            {Envelope}
            C> Subject: first\r\n\r\nbody{fakeEnd}MAIL FROM:<admin@example.com>\r\nRCPT TO:<john@example.com>\r\nDATA\r\nSubject: smuggled\r\n\r\nevil\r\n.\r\n
            S: 554 5.6.0 Message contains bare CR or LF; lines must end with CRLF
            C: NOOP
            S: 250 2.0.0 OK
            """);

        Assert.Empty(_server.Committer.Committed);
    }

    [Fact]
    public async Task A_bare_lf_inside_text_refuses_the_message()
    {
        await _server.RunAsync($"""
            {Ehlo}
            {Envelope}
            C> Subject: x\r\n\r\nline one\nline two\r\n.\r\n
            S: 554 5.6.0 *
            """);
        Assert.Empty(_server.Committer.Committed);
    }

    [Fact]
    public async Task Text_lines_over_1000_octets_refuse_the_message()
    {
        await _server.RunAsync($"""
            {Ehlo}
            {Envelope}
            C: {new string('x', 999)}
            C: .
            S: 500 5.5.2 Message line longer than 1000 octets *
            {Envelope.Replace("C: MAIL", "C: RSET\nS: 250 *\nC: MAIL", StringComparison.Ordinal)}
            C: {new string('x', 998)}
            C: .
            S: 250 2.0.0 *
            """);
        Assert.Single(_server.Committer.Committed);
    }

    [Fact]
    public async Task More_than_100_received_headers_is_a_loop()
    {
        var received = string.Concat(Enumerable.Repeat("Received: from a by b; Mon, 1 Jan 2026 00:00:00 +0000\r\n", 101));
        var session = _server.Connect();
        await session.PlayAsync($"{Ehlo}\n{Envelope}");
        await session.SendAsync(received + "Subject: loop\r\n\r\nbody\r\n.\r\n");
        await session.PlayAsync("""
            S: 554 5.4.6 Too many Received headers: mail loop detected
            """);
        Assert.Empty(_server.Committer.Committed);
    }

    [Fact]
    public async Task One_hundred_received_headers_are_accepted()
    {
        var received = string.Concat(Enumerable.Repeat("Received: from a by b; Mon, 1 Jan 2026 00:00:00 +0000\r\n", 100));
        var session = _server.Connect();
        await session.PlayAsync($"{Ehlo}\n{Envelope}");
        await session.SendAsync(received + "Subject: fine\r\n\r\nReceived: in the body does not count\r\n.\r\n");
        await session.PlayAsync("S: 250 2.0.0 *");
    }

    [Fact]
    public async Task Nul_bytes_in_a_message_body_are_kept_as_content()
    {
        await _server.RunAsync($"""
            {Ehlo}
            {Envelope}
            C> Subject: nul\r\n\r\na\0b\r\n.\r\n
            S: 250 2.0.0 *
            """);
        var (_, content) = Assert.Single(_server.Committer.Committed);
        Assert.EndsWith("a\0b\r\n", Encoding.UTF8.GetString(content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_dropped_inside_data_commits_nothing()
    {
        var session = _server.Connect();
        await session.PlayAsync($"{Ehlo}\n{Envelope}");
        await session.SendAsync("Subject: partial\r\n\r\nhalf a message\r\n");
        session.Connection.Server.Disconnect();

        await session.Run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(_server.Committer.Committed);
    }

    [Fact]
    public async Task Pipelined_garbage_gets_one_reply_per_line()
    {
        var session = _server.Connect();
        await session.PlayAsync("S: 220 *");
        await session.SendAsync("HELO x.example\r\nGARBAGE\r\n\r\nMAIL FROM:<>\r\nNOOP\r\n");
        await session.PlayAsync("""
            S: 250 mx.test
            S: 500 5.5.1 *
            S: 500 5.5.1 *
            S: 250 2.1.0 *
            S: 250 2.0.0 OK
            """);
    }

    [Theory]
    [InlineData("RCPT TO:<\"jane@elsewhere.example\"@example.com>", "550 5.1.1 *")]
    [InlineData("RCPT TO:<jane%elsewhere.example@example.com>", "550 5.1.1 *")]
    [InlineData("RCPT TO:<elsewhere.example!jane@example.com>", "550 5.1.1 *")]
    [InlineData("RCPT TO:<@example.com:jane@elsewhere.example>", "554 5.7.1 *")]
    [InlineData("RCPT TO:<jane@[192.0.2.1]>", "553 5.1.3 *")]
    [InlineData("RCPT TO:<jane@[IPv6:2001:db8::1]>", "553 5.1.3 *")]
    [InlineData("RCPT TO:<jane@elsewhere.example@example.com>", "501 5.5.4 *")]
    public async Task Routing_tricks_never_open_a_relay(string command, string reply)
    {
        await _server.RunAsync($"""
            S: 220 *
            C: HELO client.example
            S: 250 *
            C: MAIL FROM:<a@remote.example>
            S: 250 *
            C: {command}
            S: {reply}
            """);
    }

    [Fact]
    public async Task Idle_clients_get_421_and_are_disconnected()
    {
        var server = new SmtpTestServer(new SmtpOptions { HostName = "mx.test", IdleTimeout = TimeSpan.FromMilliseconds(200) });
        await server.RunAsync("""
            S: 220 *
            S: 421 4.4.2 Idle timeout, closing connection
            CLOSED
            """);
    }

    [Fact]
    public async Task A_busy_session_still_ends_at_the_session_time_limit()
    {
        var server = new SmtpTestServer(new SmtpOptions { HostName = "mx.test", SessionTimeout = TimeSpan.FromMilliseconds(500) });
        var session = server.Connect();
        await session.PlayAsync("S: 220 *");
        string? reply;
        do
        {
            await Task.Delay(50);
            await session.SendAsync("NOOP\r\n");
            reply = await session.ReadLineAsync();
        }
        while (reply == "250 2.0.0 OK");

        Assert.Equal("421 4.4.2 Session time limit reached, closing connection", reply);
    }

    [Fact]
    public async Task Shutdown_tells_idle_sessions_421()
    {
        using var shutdown = new CancellationTokenSource();
        var session = _server.Connect(shutdown: shutdown.Token);
        await session.PlayAsync("""
            S: 220 *
            C: HELO client.example
            S: 250 *
            """);
        await shutdown.CancelAsync();
        await session.PlayAsync("""
            S: 421 4.3.2 Service shutting down, try again later
            CLOSED
            """);
    }

    [Fact]
    public async Task Shutdown_lets_a_transfer_in_progress_finish()
    {
        using var shutdown = new CancellationTokenSource();
        var session = _server.Connect(shutdown: shutdown.Token);
        await session.PlayAsync($"{Ehlo}\n{Envelope}");
        await session.SendAsync("Subject: in flight\r\n\r\n");
        await shutdown.CancelAsync();
        await session.PlayAsync("""
            C: still arriving
            C: .
            S: 250 2.0.0 *
            S: 421 4.3.2 *
            CLOSED
            """);
        Assert.Single(_server.Committer.Committed);
    }

    [Fact]
    public async Task A_failing_store_answers_451_and_the_session_goes_on()
    {
        _server.RateLimiter.Unavailable = true;
        await _server.RunAsync("""
            S: 220 *
            C: HELO client.example
            S: 250 *
            C: MAIL FROM:<a@remote.example>
            S: 451 4.3.0 *
            C: NOOP
            S: 250 2.0.0 OK
            """);
    }

    [Fact]
    public async Task Too_many_connections_from_one_address_get_421()
    {
        _server.RateLimiter.MaxConnectionsPerIp = 1;
        var first = _server.Connect();
        await first.PlayAsync("S: 220 *");
        var second = _server.Connect();
        await second.PlayAsync("""
            S: 421 4.7.0 Too many connections from your address, try again later
            CLOSED
            """);
    }
}
