using System.Text;

namespace Postroom.Smtp.Tests;

/// <summary>Every command and its replies, basic and enhanced codes, over a real session.</summary>
public sealed class SmtpCommandTranscriptTests
{
    private readonly SmtpTestServer _server = new();

    [Fact]
    public async Task Accepts_a_message_for_a_hosted_user()
    {
        await _server.RunAsync("""
            S: 220 mx.test ESMTP Postroom
            C: EHLO client.example
            S: 250-mx.test greets client.example
            S: 250-PIPELINING
            S: 250-SIZE 52428800
            S: 250-8BITMIME
            S: 250-SMTPUTF8
            S: 250-ENHANCEDSTATUSCODES
            S: 250-CHUNKING
            S: 250-DSN
            S: 250 HELP
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.1.0 Sender OK
            C: RCPT TO:<jane@example.com>
            S: 250 2.1.5 Recipient OK
            C: DATA
            S: 354 End data with <CR><LF>.<CR><LF>
            C: Subject: hello
            C:
            C: ..a line that began with a dot
            C: .
            S: 250 2.0.0 OK: queued as Q1
            C: QUIT
            S: 221 2.0.0 Bye
            CLOSED
            """);

        var (message, content) = Assert.Single(_server.Committer.Committed);
        Assert.Equal("sender@remote.example", message.Sender.Address);
        Assert.Equal(["jane@example.com"], message.Recipients.Select(r => r.Path.Address));
        var text = Encoding.UTF8.GetString(content);
        Assert.StartsWith("Received: from client.example ([192.0.2.10])\r\n\tby mx.test (Postroom) with ESMTP id ", text, StringComparison.Ordinal);
        Assert.Contains("\tfor <jane@example.com>;", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\nSubject: hello\r\n\r\n.a line that began with a dot\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Helo_gives_a_plain_greeting_and_smtp_protocol()
    {
        await _server.RunAsync("""
            S: 220 *
            C: HELO client.example
            S: 250 mx.test
            C: MAIL FROM:<>
            S: 250 2.1.0 Sender OK
            C: RCPT TO:<sales@example.net>
            S: 250 2.1.5 Recipient OK
            C: DATA
            S: 354 *
            C: .
            S: 250 2.0.0 OK: queued as Q1
            """);

        var (message, content) = Assert.Single(_server.Committer.Committed);
        Assert.True(message.Sender.IsNull);
        Assert.Contains(" with SMTP id ", Encoding.UTF8.GetString(content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_out_of_sequence_get_503()
    {
        await _server.RunAsync("""
            S: 220 *
            C: MAIL FROM:<a@remote.example>
            S: 503 5.5.1 Send EHLO or HELO first
            C: EHLO client.example
            S: 250-*
            S: 250-*
            S: 250-*
            S: 250-*
            S: 250-*
            S: 250-*
            S: 250-*
            S: 250-*
            S: 250 HELP
            C: RCPT TO:<jane@example.com>
            S: 503 5.5.1 Send MAIL FROM first
            C: DATA
            S: 503 5.5.1 Send MAIL FROM first
            C: MAIL FROM:<a@remote.example>
            S: 250 2.1.0 *
            C: MAIL FROM:<b@remote.example>
            S: 503 5.5.1 Sender already specified
            C: DATA
            S: 554 5.5.1 No valid recipients
            C: RSET
            S: 250 2.0.0 Reset OK
            C: RCPT TO:<jane@example.com>
            S: 503 5.5.1 Send MAIL FROM first
            """);
    }

    [Fact]
    public async Task Noop_vrfy_help_and_unknown_commands()
    {
        await _server.RunAsync("""
            S: 220 *
            C: NOOP
            S: 250 2.0.0 OK
            C: NOOP anything at all
            S: 250 2.0.0 OK
            C: VRFY jane
            S: 252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery
            C: VRFY nobody
            S: 252 2.5.0 *
            C: VRFY
            S: 501 5.5.4 *
            C: HELP
            S: 214 2.0.0 *
            C: EXPN staff
            S: 500 5.5.1 Command unrecognized
            C: FOOBAR
            S: 500 5.5.1 Command unrecognized
            C: RSET extra
            S: 501 5.5.4 Syntax error in parameters or arguments
            C: quit
            S: 221 2.0.0 Bye
            CLOSED
            """);
    }

    [Theory]
    [InlineData("EHLO")]
    [InlineData("EHLO two words")]
    [InlineData("EHLO -bad-.example")]
    [InlineData("EHLO [300.1.1.1]")]
    [InlineData("HELO")]
    public async Task Bad_ehlo_arguments_get_501(string command)
    {
        await _server.RunAsync($"""
            S: 220 *
            C: {command}
            S: 501 5.5.4 *
            """);
    }

    [Fact]
    public async Task Ehlo_accepts_address_literals()
    {
        await _server.RunAsync("""
            S: 220 *
            C: EHLO [192.0.2.10]
            S: 250-mx.test greets [192.0.2.10]
            """);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@remote.example> SIZE=100", "250 2.1.0 *")]
    [InlineData("MAIL FROM: <a@remote.example>", "250 2.1.0 *")]
    [InlineData("mail from:<A@Remote.Example> BODY=8BITMIME", "250 2.1.0 *")]
    [InlineData("MAIL FROM:<a@remote.example> RET=HDRS ENVID=abc+2Bdef", "250 2.1.0 *")]
    [InlineData("MAIL FROM:<@relay.example:a@remote.example>", "250 2.1.0 *")]
    [InlineData("MAIL FROM:<a@remote.example> SIZE=999999999999", "552 5.3.4 *")]
    [InlineData("MAIL FROM:<a@remote.example> SIZE=abc", "501 5.5.4 *")]
    [InlineData("MAIL FROM:<a@remote.example> SIZE=1 SIZE=2", "501 5.5.4 *")]
    [InlineData("MAIL FROM:<a@remote.example> BODY=BINARYMIME", "501 5.5.4 *")]
    [InlineData("MAIL FROM:<a@remote.example> XFOO=1", "555 5.5.4 *")]
    [InlineData("MAIL FROM:<a@remote.example> ENVID=bad+zz", "501 5.5.4 *")]
    [InlineData("MAIL FROM:a@remote.example", "501 5.5.4 *")]
    [InlineData("MAIL FROM:<a@remote.example", "501 5.5.4 *")]
    [InlineData("MAIL FROM:<a b@remote.example>", "501 5.5.4 *")]
    [InlineData("MAIL TO:<a@remote.example>", "501 5.5.4 *")]
    [InlineData("MAIL FROM:<jörg@remote.example>", "553 5.6.7 *")]
    [InlineData("MAIL FROM:<jörg@remote.example> SMTPUTF8", "250 2.1.0 *")]
    [InlineData("MAIL FROM:<\"quoted local\"@remote.example>", "250 2.1.0 *")]
    public async Task Mail_from_forms(string command, string reply)
    {
        await _server.RunAsync($"""
            S: 220 *
            C: HELO client.example
            S: 250 *
            C: {command}
            S: {reply}
            """);
    }

    [Theory]
    [InlineData("RCPT TO:<jane@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;jane+40example.com", "250 2.1.5 *")]
    [InlineData("RCPT TO:<jane@example.com> NOTIFY=NEVER", "250 2.1.5 *")]
    [InlineData("RCPT TO:<jane@example.com> NOTIFY=NEVER,DELAY", "501 5.5.4 *")]
    [InlineData("RCPT TO:<jane@example.com> NOTIFY=SOMETIMES", "501 5.5.4 *")]
    [InlineData("RCPT TO:<jane@example.com> ORCPT=nosemicolon", "501 5.5.4 *")]
    [InlineData("RCPT TO:<jane@example.com> XYZ=1", "555 5.5.4 *")]
    [InlineData("RCPT TO:<>", "501 5.5.4 *")]
    [InlineData("RCPT TO:<Postmaster>", "250 2.1.5 *")]
    [InlineData("RCPT TO:<POSTMASTER@example.com>", "250 2.1.5 *")]
    [InlineData("RCPT TO:<jane+tag@example.com>", "250 2.1.5 *")]
    [InlineData("RCPT TO:<nobody@example.com>", "550 5.1.1 No such user here")]
    [InlineData("RCPT TO:<gone@example.com>", "550 5.2.1 Mailbox disabled, not accepting messages")]
    [InlineData("RCPT TO:<anyone@small.example>", "250 2.1.5 *")]
    [InlineData("RCPT TO:<someone@elsewhere.example>", "554 5.7.1 Relay access denied")]
    public async Task Rcpt_to_forms(string command, string reply)
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
    public async Task Dsn_parameters_reach_the_committer()
    {
        await _server.RunAsync($"""
            S: 220 *
            C: EHLO client.example
            {SmtpTestServer.EhloReply}
            C: MAIL FROM:<a@remote.example> RET=FULL ENVID=QQ+2B1
            S: 250 *
            C: RCPT TO:<jane@example.com> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;jane+2Bx@example.com
            S: 250 *
            C: DATA
            S: 354 *
            C: .
            S: 250 *
            """);

        var (message, _) = Assert.Single(_server.Committer.Committed);
        Assert.Equal(Queue.DsnReturn.Full, message.Parameters.Ret);
        Assert.Equal("QQ+1", message.Parameters.EnvId);
        var recipient = Assert.Single(message.Recipients);
        Assert.Equal(Queue.DsnNotify.Success | Queue.DsnNotify.Delay, recipient.Parameters.Notify);
        Assert.Equal("rfc822;jane+x@example.com", recipient.Parameters.OriginalRecipient);
    }

    [Fact]
    public async Task Pipelined_commands_are_answered_in_order()
    {
        var session = _server.Connect();
        await session.PlayAsync($"""
            S: 220 *
            C: EHLO client.example
            {SmtpTestServer.EhloReply}
            """);
        await session.SendAsync("MAIL FROM:<a@remote.example>\r\nRCPT TO:<jane@example.com>\r\nRCPT TO:<nobody@example.com>\r\nRCPT TO:<john@example.com>\r\nDATA\r\n");
        await session.PlayAsync("""
            S: 250 2.1.0 *
            S: 250 2.1.5 *
            S: 550 5.1.1 *
            S: 250 2.1.5 *
            S: 354 *
            C: Subject: pipelined
            C:
            C: body
            C: .
            S: 250 2.0.0 OK: queued as Q1
            """);

        var (message, _) = Assert.Single(_server.Committer.Committed);
        Assert.Equal(["jane@example.com", "john@example.com"], message.Recipients.Select(r => r.Path.Address));
    }

    [Fact]
    public async Task Pipelined_data_after_all_recipients_failed_is_refused()
    {
        var session = _server.Connect();
        await session.PlayAsync("""
            S: 220 *
            C: HELO client.example
            S: 250 *
            """);
        await session.SendAsync("MAIL FROM:<a@remote.example>\r\nRCPT TO:<nobody@example.com>\r\nDATA\r\n");
        await session.PlayAsync("""
            S: 250 2.1.0 *
            S: 550 5.1.1 *
            S: 554 5.5.1 No valid recipients
            C: NOOP
            S: 250 2.0.0 OK
            """);
        Assert.Empty(_server.Committer.Committed);
    }

    [Fact]
    public async Task Rset_and_ehlo_abandon_the_transaction()
    {
        await _server.RunAsync("""
            S: 220 *
            C: HELO client.example
            S: 250 *
            C: MAIL FROM:<a@remote.example>
            S: 250 *
            C: RCPT TO:<jane@example.com>
            S: 250 *
            C: RSET
            S: 250 2.0.0 Reset OK
            C: DATA
            S: 503 5.5.1 Send MAIL FROM first
            C: MAIL FROM:<a@remote.example>
            S: 250 *
            C: HELO client.example
            S: 250 mx.test
            C: RCPT TO:<jane@example.com>
            S: 503 5.5.1 Send MAIL FROM first
            """);
    }

    [Fact]
    public async Task Recipient_limit_answers_452()
    {
        var server = new SmtpTestServer(new SmtpOptions { HostName = "mx.test", MaxRecipients = 2 });
        await server.RunAsync("""
            S: 220 *
            C: HELO client.example
            S: 250 *
            C: MAIL FROM:<a@remote.example>
            S: 250 *
            C: RCPT TO:<jane@example.com>
            S: 250 *
            C: RCPT TO:<john@example.com>
            S: 250 *
            C: RCPT TO:<postmaster@example.com>
            S: 452 4.5.3 Too many recipients
            """);
    }

    [Fact]
    public async Task Domain_size_limit_applies_at_rcpt_and_in_data()
    {
        await _server.RunAsync($"""
            S: 220 *
            C: EHLO client.example
            {SmtpTestServer.EhloReply}
            C: MAIL FROM:<a@remote.example> SIZE=5000
            S: 250 *
            C: RCPT TO:<x@small.example>
            S: 552 5.3.4 *
            C: RSET
            S: 250 *
            C: MAIL FROM:<a@remote.example>
            S: 250 *
            C: RCPT TO:<x@small.example>
            S: 250 *
            C: DATA
            S: 354 *
            C: {new string('x', 900)}
            C: {new string('x', 900)}
            C: .
            S: 552 5.3.4 Message size exceeds fixed maximum message size
            C: NOOP
            S: 250 2.0.0 OK
            """);
        Assert.Empty(_server.Committer.Committed);
    }

    [Fact]
    public async Task Too_many_errors_close_the_session()
    {
        var server = new SmtpTestServer(new SmtpOptions { HostName = "mx.test", MaxErrors = 3 });
        await server.RunAsync("""
            S: 220 *
            C: BAD1
            S: 500 5.5.1 *
            C: BAD2
            S: 500 5.5.1 *
            C: BAD3
            S: 500 5.5.1 *
            S: 421 4.7.0 Too many errors, closing connection
            CLOSED
            """);
    }

    [Fact]
    public async Task Storage_failure_answers_451_and_commits_nothing()
    {
        _server.Committer.FailAfterReading = true;
        await _server.RunAsync("""
            S: 220 *
            C: HELO client.example
            S: 250 *
            C: MAIL FROM:<a@remote.example>
            S: 250 *
            C: RCPT TO:<jane@example.com>
            S: 250 *
            C: DATA
            S: 354 *
            C: Subject: x
            C:
            C: body
            C: .
            S: 451 4.3.0 Local error in processing, message not accepted; try again later
            C: NOOP
            S: 250 2.0.0 OK
            """);
        Assert.Empty(_server.Committer.Committed);
    }
}
