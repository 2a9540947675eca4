using System.Text;
using Postroom.Mailbox;
using Postroom.Testing;

namespace Postroom.Pop3.Tests;

/// <summary>Every command and response form, against the real mailbox store.</summary>
public sealed class Pop3CommandTranscriptTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>, IDisposable
{
    internal const string Login = """
        S: +OK pop.test POP3 ready
        C: USER jane@example.com
        S: +OK Send PASS
        C: PASS jane-password
        S: +OK Logged in, *
        """;

    private readonly Pop3TestServer _server = new(garnet);

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Capa_before_and_after_login()
    {
        await _server.RunAsync($"""
            S: +OK *
            C: CAPA
            S: +OK Capability list follows
            S: TOP
            S: UIDL
            S: RESP-CODES
            S: AUTH-RESP-CODE
            S: PIPELINING
            S: EXPIRE NEVER
            S: USER
            S: SASL PLAIN
            S: IMPLEMENTATION Postroom
            S: .
            C: USER jane@example.com
            S: +OK *
            C: PASS jane-password
            S: +OK Logged in, 0 messages (0 octets)
            C: CAPA
            S: +OK Capability list follows
            S: TOP
            S: UIDL
            S: RESP-CODES
            S: AUTH-RESP-CODE
            S: PIPELINING
            S: EXPIRE NEVER
            S: IMPLEMENTATION Postroom
            S: .
            C: QUIT
            S: +OK Bye, 0 messages deleted
            CLOSED
            """);
    }

    [Fact]
    public async Task Stat_list_uidl_and_retr_over_a_snapshot()
    {
        var first = Pop3TestServer.Message("one");
        var second = Pop3TestServer.Message("two", "Line one.\r\nLine two.\r\n");
        var (a, _) = await _server.SeedAsync(first);
        var (b, _) = await _server.SeedAsync(second);
        var size1 = Encoding.UTF8.GetByteCount(first);
        var size2 = Encoding.UTF8.GetByteCount(second);

        await _server.RunAsync($"""
            {Login}
            C: STAT
            S: +OK 2 {size1 + size2}
            C: LIST
            S: +OK 2 messages ({size1 + size2} octets)
            S: 1 {size1}
            S: 2 {size2}
            S: .
            C: LIST 2
            S: +OK 2 {size2}
            C: UIDL
            S: +OK Unique-id listing follows
            S: 1 {a.UidValidity}.{a.Uid}
            S: 2 {b.UidValidity}.{b.Uid}
            S: .
            C: UIDL 1
            S: +OK 1 {a.UidValidity}.{a.Uid}
            C: RETR 2
            S: +OK {size2} octets
            S: From: alice@example.org
            S: To: jane@example.com
            S: Subject: two
            S:
            S: Line one.
            S: Line two.
            S: .
            C: NOOP
            S: +OK
            C: QUIT
            S: +OK Bye, 0 messages deleted
            CLOSED
            """);

        // RETR marks the message \Seen at QUIT, so IMAP shows it read; the other one is untouched.
        var inbox = await _server.InboxAsync();
        Assert.Equal(2, inbox.Count);
        Assert.DoesNotContain(MessageFlags.Seen, inbox[0].Flags);
        Assert.Contains(MessageFlags.Seen, inbox[1].Flags);
    }

    [Fact]
    public async Task Commands_are_case_insensitive()
    {
        await _server.SeedAsync(Pop3TestServer.Message("one"));
        await _server.RunAsync("""
            S: +OK *
            C: user jane@example.com
            S: +OK Send PASS
            C: pass jane-password
            S: +OK Logged in, 1 messages *
            C: stat
            S: +OK 1 *
            C: Quit
            S: +OK Bye*
            CLOSED
            """);
    }

    [Fact]
    public async Task Retr_and_top_dot_stuff_the_content_and_end_an_unterminated_last_line()
    {
        var content = "Subject: dots\r\n.Hidden-Header: no\r\n\r\n.\r\n..two\r\nmiddle\r\n.end\r\nlast line without CRLF";
        await _server.SeedAsync(content, prefix: "Return-Path: <alice@example.org>\r\n");
        var size = Encoding.UTF8.GetByteCount(content) + "Return-Path: <alice@example.org>\r\n".Length;

        await _server.RunAsync($"""
            {Login}
            C: LIST 1
            S: +OK 1 {size}
            C: RETR 1
            S: +OK {size} octets
            S: Return-Path: <alice@example.org>
            S: Subject: dots
            S: ..Hidden-Header: no
            S:
            S: ..
            S: ...two
            S: middle
            S: ..end
            S: last line without CRLF
            S: .
            C: TOP 1 0
            S: +OK Top of message follows
            S: Return-Path: <alice@example.org>
            S: Subject: dots
            S: ..Hidden-Header: no
            S:
            S: .
            C: TOP 1 2
            S: +OK Top of message follows
            S: Return-Path: <alice@example.org>
            S: Subject: dots
            S: ..Hidden-Header: no
            S:
            S: ..
            S: ...two
            S: .
            C: TOP 1 99999999999999999999999
            S: +OK Top of message follows
            S: Return-Path: *
            S: Subject: dots
            S: ..Hidden-Header: no
            S:
            S: ..
            S: ...two
            S: middle
            S: ..end
            S: last line without CRLF
            S: .
            """);
    }

    [Fact]
    public async Task A_large_message_streams_back_byte_for_byte()
    {
        var body = new StringBuilder();
        for (var i = 0; i < 40_000; i++)
        {
            body.Append(i % 7 == 0 ? "." : "").Append("line ").Append(i).Append(" of a large message, padded to make it long\r\n");
        }

        var content = Pop3TestServer.Message("big", body.ToString());
        await _server.SeedAsync(content);
        var session = _server.Connect();
        await session.PlayAsync($"""
            {Login}
            C: RETR 1
            S: +OK {Encoding.UTF8.GetByteCount(content)} octets
            """);
        Assert.Equal(content, await session.ReadMultilineAsync());
        await session.PlayAsync("""
            C: QUIT
            S: +OK *
            CLOSED
            """);
    }

    [Fact]
    public async Task Dele_marks_rset_unmarks_and_quit_removes_exactly_the_marked_messages()
    {
        await _server.SeedAsync(Pop3TestServer.Message("one"));
        var (b, _) = await _server.SeedAsync(Pop3TestServer.Message("two"));
        var (c, _) = await _server.SeedAsync(Pop3TestServer.Message("three"));
        var session = _server.Connect();
        await session.PlayAsync($"""
            {Login}
            C: DELE 1
            S: +OK Message 1 deleted
            C: DELE 1
            S: -ERR Message already deleted
            C: RETR 1
            S: -ERR Message already deleted
            C: TOP 1 0
            S: -ERR Message already deleted
            C: LIST 1
            S: -ERR Message already deleted
            C: UIDL 1
            S: -ERR Message already deleted
            C: STAT
            S: +OK 2 *
            C: LIST
            S: +OK 2 messages *
            S: 2 *
            S: 3 *
            S: .
            C: RSET
            S: +OK Maildrop has 3 messages *
            C: STAT
            S: +OK 3 *
            C: DELE 1
            S: +OK *
            C: DELE 3
            S: +OK *
            """);

        // Nothing is removed before QUIT: another view of the store still sees all three.
        Assert.Equal(3, (await _server.InboxAsync()).Count);

        await session.PlayAsync("""
            C: QUIT
            S: +OK Bye, 2 messages deleted
            CLOSED
            """);
        var left = Assert.Single(await _server.InboxAsync());
        Assert.Equal(b.Uid, left.Uid);
        Assert.DoesNotContain(MessageFlags.Deleted, left.Flags);

        // UIDL is stable across sessions: the message that was number 2 keeps its id as number 1.
        await _server.RunAsync($"""
            {Login}
            C: UIDL
            S: +OK *
            S: 1 {b.UidValidity}.{b.Uid}
            S: .
            C: QUIT
            S: +OK *
            """);
        Assert.NotEqual(b.Uid, c.Uid);
    }

    [Fact]
    public async Task A_dropped_connection_deletes_nothing()
    {
        await _server.SeedAsync(Pop3TestServer.Message("one"));
        await _server.SeedAsync(Pop3TestServer.Message("two"));
        var session = _server.Connect();
        await session.PlayAsync($"""
            {Login}
            C: DELE 1
            S: +OK *
            C: DELE 2
            S: +OK *
            """);
        session.Connection.Server.Disconnect();
        await session.Run.WaitAsync(TimeSpan.FromSeconds(10));

        var inbox = await _server.InboxAsync();
        Assert.Equal(2, inbox.Count);
        Assert.All(inbox, m => Assert.DoesNotContain(MessageFlags.Deleted, m.Flags));

        // The maildrop lock went with the session.
        await _server.RunAsync($"""
            {Login}
            C: QUIT
            S: +OK Bye, 0 messages deleted
            """);
    }

    [Fact]
    public async Task Idle_timeout_logs_out_without_update()
    {
        await _server.SeedAsync(Pop3TestServer.Message("one"));
        var session = _server.Connect(_server.Options with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        await session.PlayAsync($"""
            {Login}
            C: DELE 1
            S: +OK *
            S: -ERR Autologout: idle for too long
            CLOSED
            """);
        Assert.Single(await _server.InboxAsync());
    }

    [Fact]
    public async Task Shutdown_tells_an_idle_session_to_come_back()
    {
        using var shutdown = new CancellationTokenSource();
        var session = _server.Connect(shutdown: shutdown.Token);
        await session.PlayAsync("S: +OK *");
        await shutdown.CancelAsync();
        await session.PlayAsync("""
            S: -ERR [SYS/TEMP] Server shutting down, try again later
            CLOSED
            """);
    }

    [Fact]
    public async Task The_snapshot_is_fixed_at_login()
    {
        await _server.SeedAsync(Pop3TestServer.Message("one"));
        var session = _server.Connect();
        await session.PlayAsync($"""
            {Login}
            C: STAT
            S: +OK 1 *
            """);
        await _server.SeedAsync(Pop3TestServer.Message("two"));
        await session.PlayAsync("""
            C: STAT
            S: +OK 1 *
            C: RETR 2
            S: -ERR No such message
            C: QUIT
            S: +OK *
            CLOSED
            """);
        await _server.RunAsync($"""
            {Login}
            C: STAT
            S: +OK 2 *
            """);
    }

    [Fact]
    public async Task Quit_in_authorization_just_signs_off()
    {
        await _server.RunAsync("""
            S: +OK *
            C: QUIT
            S: +OK Bye
            CLOSED
            """);
    }

    [Fact]
    public async Task Commands_out_of_state_are_refused()
    {
        await _server.RunAsync($"""
            S: +OK *
            C: STAT
            S: -ERR Command not valid in this state
            C: RETR 1
            S: -ERR Command not valid in this state
            C: NOOP
            S: -ERR Command not valid in this state
            C: PASS jane-password
            S: -ERR Send USER first
            C: USER jane@example.com
            S: +OK *
            C: NOOP
            S: -ERR Command not valid in this state
            C: PASS jane-password
            S: -ERR Send USER first
            C: USER jane@example.com
            S: +OK *
            C: PASS jane-password
            S: +OK Logged in*
            C: USER jane@example.com
            S: -ERR Already authenticated
            C: AUTH PLAIN AGphbmVAZXhhbXBsZS5jb20AamFuZS1wYXNzd29yZA==
            S: -ERR Already authenticated
            C: STLS
            S: -ERR Command not valid in this state
            """);
    }

    [Fact]
    public async Task A_locked_maildrop_answers_in_use()
    {
        var first = _server.Connect();
        await first.PlayAsync(Login);
        await _server.RunAsync("""
            S: +OK *
            C: USER jane@example.com
            S: +OK *
            C: PASS jane-password
            S: -ERR [IN-USE] Maildrop is locked by another session
            C: QUIT
            S: +OK Bye
            """);
        await first.PlayAsync("""
            C: QUIT
            S: +OK *
            CLOSED
            """);
        await _server.RunAsync(Login);
    }

    [Fact]
    public async Task A_missing_body_answers_sys_perm_and_the_session_goes_on()
    {
        var (_, key) = await _server.SeedAsync(Pop3TestServer.Message("one"));
        await _server.SeedAsync(Pop3TestServer.Message("two"));
        await _server.Blobs.DeleteAsync(key, CancellationToken.None);
        await _server.RunAsync($"""
            {Login}
            C: RETR 1
            S: -ERR [SYS/PERM] Message content is missing from storage
            C: RETR 2
            S: +OK * octets
            S: From: *
            S: To: *
            S: Subject: two
            S:
            S: Hello.
            S: .
            """);
    }
}
