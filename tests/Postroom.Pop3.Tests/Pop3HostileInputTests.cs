using Postroom.Testing;

namespace Postroom.Pop3.Tests;

/// <summary>Hostile and broken input: the server answers with an error and stays healthy.</summary>
public sealed class Pop3HostileInputTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>, IDisposable
{
    private readonly Pop3TestServer _server = new(garnet);

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData("RETR 0", "-ERR No such message")]
    [InlineData("RETR 3", "-ERR No such message")]
    [InlineData("RETR 99999999999", "-ERR No such message")]
    [InlineData("RETR 4294967297", "-ERR No such message")]
    [InlineData("RETR 999999999999999999999999999999", "-ERR No such message")]
    [InlineData("RETR -1", "-ERR Syntax error in arguments")]
    [InlineData("RETR +1", "-ERR Syntax error in arguments")]
    [InlineData("RETR 1.0", "-ERR Syntax error in arguments")]
    [InlineData("RETR one", "-ERR Syntax error in arguments")]
    [InlineData("RETR", "-ERR Syntax error in arguments")]
    [InlineData("RETR 1 2", "-ERR Syntax error in arguments")]
    [InlineData("RETR  1", "-ERR Syntax error in arguments")]
    [InlineData("RETR \uff11", "-ERR Syntax error in arguments")]
    [InlineData("LIST 0", "-ERR No such message")]
    [InlineData("LIST x", "-ERR Syntax error in arguments")]
    [InlineData("UIDL 3", "-ERR No such message")]
    [InlineData("DELE 3", "-ERR No such message")]
    [InlineData("DELE", "-ERR Syntax error in arguments")]
    [InlineData("TOP 1", "-ERR Syntax error in arguments")]
    [InlineData("TOP 1 -1", "-ERR Syntax error in arguments")]
    [InlineData("TOP 0 1", "-ERR No such message")]
    [InlineData("TOP 1 1 1", "-ERR Syntax error in arguments")]
    [InlineData("STAT 1", "-ERR Syntax error in arguments")]
    [InlineData("RSET 1", "-ERR Syntax error in arguments")]
    [InlineData("NOOP 1", "-ERR Syntax error in arguments")]
    [InlineData("CAPA 1", "-ERR Syntax error in arguments")]
    [InlineData("XYZZY", "-ERR Unknown command")]
    [InlineData("APOP jane@example.com 0123456789abcdef0123456789abcdef", "-ERR Unknown command")]
    [InlineData("", "-ERR Unknown command")]
    public async Task Bad_arguments_are_refused_and_the_session_goes_on(string command, string reply)
    {
        await _server.SeedAsync(Pop3TestServer.Message("one"));
        await _server.SeedAsync(Pop3TestServer.Message("two"));
        await _server.RunAsync($"""
            {Pop3CommandTranscriptTests.Login}
            C: {command}
            S: {reply}
            C: STAT
            S: +OK 2 *
            C: QUIT
            S: +OK Bye, 0 messages deleted
            CLOSED
            """);
        Assert.Equal(2, (await _server.InboxAsync()).Count);
    }

    [Fact]
    public async Task Nul_bare_lf_and_bare_cr_are_refused()
    {
        await _server.RunAsync("""
            S: +OK *
            C: USER jane\0@example.com
            S: -ERR NUL character in command
            C> CAPA\n
            S: -ERR Lines must end with CRLF
            C> CA\rPA\r\n
            S: -ERR Lines must end with CRLF
            C: USER jane@example.com
            S: +OK Send PASS
            """);
    }

    [Fact]
    public async Task A_command_over_255_octets_is_refused()
    {
        await _server.RunAsync($"""
            S: +OK *
            C: USER {new string('a', 250)}@example.com
            S: -ERR Line too long
            C: USER {new string('a', 230)}@example.com
            S: +OK Send PASS
            """);
    }

    [Fact]
    public async Task A_one_megabyte_line_is_refused_without_being_buffered()
    {
        var session = _server.Connect();
        await session.PlayAsync("S: +OK *");
        var line = "USER " + new string('a', 1024 * 1024) + "\r\n";
        for (var i = 0; i < line.Length; i += 64 * 1024)
        {
            await session.SendAsync(line.Substring(i, Math.Min(64 * 1024, line.Length - i)));
        }

        await session.PlayAsync("""
            S: -ERR Line too long
            C: CAPA
            S: +OK *
            """);
    }

    [Fact]
    public async Task Invalid_utf8_is_a_syntax_error()
    {
        var session = _server.Connect();
        await session.PlayAsync("S: +OK *");
        await session.SendAsync([(byte)'U', (byte)'S', (byte)'E', (byte)'R', (byte)' ', 0xff, 0xfe, (byte)'\r', (byte)'\n']);
        await session.PlayAsync("""
            S: -ERR Syntax error in arguments
            """);
    }

    [Fact]
    public async Task Too_many_errors_close_the_session()
    {
        var transcript = "S: +OK *\n" + string.Concat(Enumerable.Repeat("C: BOGUS\nS: -ERR Unknown command\n", 19))
            + "C: BOGUS\nS: -ERR Unknown command\nS: -ERR Too many errors, closing connection\nCLOSED\n";
        await _server.RunAsync(transcript);
    }

    [Fact]
    public async Task Pipelined_commands_get_all_their_answers()
    {
        await _server.SeedAsync(Pop3TestServer.Message("one"));
        var session = _server.Connect();
        await session.PlayAsync("S: +OK *");
        await session.SendAsync("USER jane@example.com\r\nPASS jane-password\r\nSTAT\r\nLIST 1\r\nUIDL 1\r\nDELE 1\r\nQUIT\r\n");
        await session.PlayAsync("""
            S: +OK Send PASS
            S: +OK Logged in, 1 messages *
            S: +OK 1 *
            S: +OK 1 *
            S: +OK 1 *.*
            S: +OK Message 1 deleted
            S: +OK Bye, 1 messages deleted
            CLOSED
            """);
        Assert.Empty(await _server.InboxAsync());
    }
}
