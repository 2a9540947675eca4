using System.Text;

namespace Postroom.Smtp.Tests;

/// <summary>CHUNKING (RFC 3030).</summary>
public sealed class SmtpBdatTests
{
    private const string Envelope = """
        S: 220 *
        C: HELO client.example
        S: 250 *
        C: MAIL FROM:<a@remote.example>
        S: 250 *
        C: RCPT TO:<jane@example.com>
        S: 250 *
        """;

    private readonly SmtpTestServer _server = new();

    [Fact]
    public async Task Chunks_make_one_message_without_dot_stuffing()
    {
        await _server.RunAsync($"""
            {Envelope}
            C> BDAT 20\r\nSubject: chunked\r\n\r\n
            S: 250 2.0.0 20 octets received
            C> BDAT 9 LAST\r\n.\r\nbody\r\n
            S: 250 2.0.0 OK: queued as Q1
            C: NOOP
            S: 250 2.0.0 OK
            """);

        var (_, content) = Assert.Single(_server.Committer.Committed);
        Assert.EndsWith("Subject: chunked\r\n\r\n.\r\nbody\r\n", Encoding.UTF8.GetString(content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_last_chunk_ends_the_message()
    {
        await _server.RunAsync($"""
            {Envelope}
            C> BDAT 6\r\nhello\n
            S: 250 2.0.0 6 octets received
            C: BDAT 0 LAST
            S: 250 2.0.0 OK: queued as Q1
            """);
    }

    [Fact]
    public async Task An_oversized_chunk_is_read_refused_and_nothing_committed()
    {
        var big = new string('x', 2000);
        await _server.RunAsync($"""
            S: 220 *
            C: HELO client.example
            S: 250 *
            C: MAIL FROM:<a@remote.example>
            S: 250 *
            C: RCPT TO:<x@small.example>
            S: 250 *
            C> BDAT 2000 LAST\r\n{big}
            S: 552 5.3.4 Message size exceeds fixed maximum message size
            C: NOOP
            S: 250 2.0.0 OK
            """);
        Assert.Empty(_server.Committer.Committed);
    }

    [Fact]
    public async Task Bdat_out_of_sequence_still_consumes_its_chunk()
    {
        await _server.RunAsync("""
            S: 220 *
            C: HELO client.example
            S: 250 *
            C> BDAT 10\r\nNOOP\r\nNOOP
            S: 503 5.5.1 Send MAIL FROM first
            C: NOOP
            S: 250 2.0.0 OK
            """);
    }

    [Fact]
    public async Task Data_cannot_follow_bdat_and_rset_abandons_it()
    {
        await _server.RunAsync($"""
            {Envelope}
            C> BDAT 4\r\nabcd
            S: 250 2.0.0 4 octets received
            C: DATA
            S: 503 5.5.1 DATA cannot follow BDAT in one transaction
            C: RSET
            S: 250 2.0.0 Reset OK
            """);
        Assert.Empty(_server.Committer.Committed);
    }

    [Theory]
    [InlineData("BDAT")]
    [InlineData("BDAT -1")]
    [InlineData("BDAT 10 FIRST")]
    [InlineData("BDAT 1 LAST extra")]
    public async Task Malformed_bdat_is_a_syntax_error(string command)
    {
        await _server.RunAsync($"""
            {Envelope}
            C: {command}
            S: 501 5.5.4 *
            """);
    }

    [Fact]
    public async Task A_connection_dropped_between_chunks_commits_nothing()
    {
        var session = _server.Connect();
        await session.PlayAsync($"""
            {Envelope}
            C> BDAT 5\r\nhello
            S: 250 *
            """);
        session.Connection.Server.Disconnect();
        await session.Run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(_server.Committer.Committed);
    }
}
