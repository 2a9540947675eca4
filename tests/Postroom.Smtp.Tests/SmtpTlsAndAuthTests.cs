using System.Net;
using System.Text;

namespace Postroom.Smtp.Tests;

/// <summary>STARTTLS, AUTH and the submission policies.</summary>
public sealed class SmtpTlsAndAuthTests
{
    private static readonly string JanePlain = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0jane@example.com\0jane-password"));

    private readonly SmtpTestServer _submission = new(new SmtpOptions
    {
        HostName = "mx.test",
        Role = SmtpListenerRole.Submission,
        StartTlsAvailable = true,
    });

    private const string EhloBeforeTls = """
        S: 220 *
        C: EHLO client.example
        S: 250-*
        S: 250-PIPELINING
        S: 250-*
        S: 250-*
        S: 250-*
        S: 250-*
        S: 250-*
        S: 250-DSN
        S: 250-STARTTLS
        S: 250 HELP
        """;

    private const string StartTlsAndEhlo = """
        C: STARTTLS
        S: 220 2.0.0 Ready to start TLS
        TLS
        C: EHLO client.example
        S: 250-*
        S: 250-*
        S: 250-*
        S: 250-*
        S: 250-*
        S: 250-*
        S: 250-*
        S: 250-DSN
        S: 250-AUTH PLAIN LOGIN
        S: 250 HELP
        """;

    [Fact]
    public async Task Auth_is_neither_offered_nor_accepted_before_tls()
    {
        await _submission.RunAsync($"""
            {EhloBeforeTls}
            C: AUTH PLAIN {JanePlain}
            S: 538 5.7.11 Encryption required for requested authentication mechanism
            C: MAIL FROM:<jane@example.com>
            S: 530 5.7.0 Authentication required
            """);
    }

    [Fact]
    public async Task Starttls_then_auth_plain_then_relay()
    {
        await _submission.RunAsync($"""
            {EhloBeforeTls}
            {StartTlsAndEhlo}
            C: AUTH PLAIN {JanePlain}
            S: 235 2.7.0 Authentication successful
            C: AUTH PLAIN {JanePlain}
            S: 503 5.5.1 Already authenticated
            C: MAIL FROM:<jane@example.com>
            S: 250 2.1.0 *
            C: RCPT TO:<friend@elsewhere.example>
            S: 250 2.1.5 *
            C: DATA
            S: 354 *
            C: Subject: relayed
            C:
            C: hi
            C: .
            S: 250 2.0.0 *
            """);

        var (message, content) = Assert.Single(_submission.Committer.Committed);
        Assert.Equal("jane@example.com", message.Session.AuthenticatedUser);
        Assert.Contains(" with ESMTPSA id ", Encoding.UTF8.GetString(content), StringComparison.Ordinal);
        Assert.Contains("(using Tls", Encoding.UTF8.GetString(content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_login_with_challenges()
    {
        await _submission.RunAsync($"""
            {EhloBeforeTls}
            {StartTlsAndEhlo}
            C: AUTH LOGIN
            S: 334 VXNlcm5hbWU6
            C: {Convert.ToBase64String("jane@example.com"u8)}
            S: 334 UGFzc3dvcmQ6
            C: {Convert.ToBase64String("jane-password"u8)}
            S: 235 2.7.0 *
            """);
    }

    [Theory]
    [InlineData("AUTH PLAIN AGphbmVAZXhhbXBsZS5jb20Ad3Jvbmc=", "535 5.7.8 Authentication credentials invalid")]
    [InlineData("AUTH PLAIN not-base64!", "501 5.5.2 Cannot decode base64 response")]
    [InlineData("AUTH CRAM-MD5", "504 5.5.4 Unrecognized authentication mechanism")]
    [InlineData("AUTH PLAIN am9obkBleGFtcGxlLmNvbQBqYW5lQGV4YW1wbGUuY29tAGphbmUtcGFzc3dvcmQ=", "535 5.7.8 *")]
    public async Task Failed_auth_answers(string command, string reply)
    {
        await _submission.RunAsync($"""
            {EhloBeforeTls}
            {StartTlsAndEhlo}
            C: {command}
            S: {reply}
            C: MAIL FROM:<jane@example.com>
            S: 530 5.7.0 *
            """);
    }

    [Fact]
    public async Task Auth_can_be_cancelled()
    {
        await _submission.RunAsync($"""
            {EhloBeforeTls}
            {StartTlsAndEhlo}
            C: AUTH PLAIN
            S: 334 *
            C: *
            S: 501 5.0.0 Authentication cancelled
            """);
    }

    [Fact]
    public async Task Repeated_auth_failures_are_throttled()
    {
        await _submission.RunAsync($"""
            {EhloBeforeTls}
            {StartTlsAndEhlo}
            C: AUTH PLAIN AGphbmVAZXhhbXBsZS5jb20Ad3Jvbmc=
            S: 535 *
            C: AUTH PLAIN AGphbmVAZXhhbXBsZS5jb20Ad3Jvbmc=
            S: 535 *
            C: AUTH PLAIN AGphbmVAZXhhbXBsZS5jb20Ad3Jvbmc=
            S: 535 *
            C: AUTH PLAIN {JanePlain}
            S: 454 4.7.0 Too many failed authentications, try again later
            """);
    }

    [Theory]
    [InlineData("jane@example.com", "250 2.1.0 *")]
    [InlineData("jane@example.net", "250 2.1.0 *")]
    [InlineData("jane+lists@example.com", "250 2.1.0 *")]
    [InlineData("sales@example.com", "250 2.1.0 *")]
    [InlineData("john@example.com", "553 5.7.1 Sender address not owned by the authenticated user")]
    [InlineData("ceo@elsewhere.example", "553 5.7.1 *")]
    public async Task Authenticated_users_send_only_as_addresses_they_own(string sender, string reply)
    {
        await _submission.RunAsync($"""
            {EhloBeforeTls}
            {StartTlsAndEhlo}
            C: AUTH PLAIN {JanePlain}
            S: 235 *
            C: MAIL FROM:<{sender}>
            S: {reply}
            """);
    }

    [Fact]
    public async Task Commands_pipelined_after_starttls_are_discarded()
    {
        var session = _submission.Connect();
        await session.PlayAsync(EhloBeforeTls);
        // CVE-2011-0411: these plaintext commands arrive with STARTTLS and must not run inside TLS.
        await session.SendAsync("STARTTLS\r\nMAIL FROM:<jane@example.com>\r\nRCPT TO:<jane@example.com>\r\n");
        await session.PlayAsync("""
            S: 220 2.0.0 Ready to start TLS
            TLS
            C: RCPT TO:<jane@example.com>
            S: 503 5.5.1 Send EHLO or HELO first
            C: EHLO client.example
            S: 250-*
            """);
    }

    [Fact]
    public async Task Tls_resets_the_ehlo_state_and_cannot_start_twice()
    {
        await _submission.RunAsync($"""
            {EhloBeforeTls}
            C: STARTTLS
            S: 220 *
            TLS
            C: MAIL FROM:<jane@example.com>
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
            S: 250-*
            S: 250 HELP
            C: STARTTLS
            S: 503 5.5.1 TLS already active
            """);
    }

    [Fact]
    public async Task Mx_offers_no_auth_and_refuses_it()
    {
        var mx = new SmtpTestServer(new SmtpOptions { HostName = "mx.test", StartTlsAvailable = true });
        await mx.RunAsync("""
            S: 220 *
            C: EHLO client.example
            S: 250-*
            S: 250-*
            S: 250-*
            S: 250-*
            S: 250-*
            S: 250-*
            S: 250-*
            S: 250-*
            S: 250-STARTTLS
            S: 250 HELP
            C: AUTH PLAIN AGphbmVAZXhhbXBsZS5jb20AamFuZS1wYXNzd29yZA==
            S: 503 5.5.1 AUTH is not available on this port
            """);
    }

    [Fact]
    public async Task Trusted_networks_may_relay_without_auth()
    {
        var mx = new SmtpTestServer(new SmtpOptions { HostName = "mx.test", RelayNetworks = [IpNetwork.Parse("10.0.0.0/8")] });
        var session = mx.Connect(IPAddress.Parse("10.1.2.3"));
        await session.PlayAsync("""
            S: 220 *
            C: HELO office.example
            S: 250 *
            C: MAIL FROM:<clerk@office.example>
            S: 250 *
            C: RCPT TO:<partner@elsewhere.example>
            S: 250 2.1.5 *
            """);

        var outsider = mx.Connect(IPAddress.Parse("192.0.2.99"));
        await outsider.PlayAsync("""
            S: 220 *
            C: HELO outside.example
            S: 250 *
            C: MAIL FROM:<clerk@office.example>
            S: 250 *
            C: RCPT TO:<partner@elsewhere.example>
            S: 554 5.7.1 Relay access denied
            """);
    }

    [Fact]
    public async Task Blocked_senders_and_networks_are_refused()
    {
        var mx = new SmtpTestServer(new SmtpOptions
        {
            HostName = "mx.test",
            BlockedSenders = ["spammer@bad.example", "@worse.example"],
            BlockedNetworks = [IpNetwork.Parse("198.51.100.0/24")],
        });
        await mx.RunAsync("""
            S: 220 *
            C: HELO client.example
            S: 250 *
            C: MAIL FROM:<Spammer@Bad.Example>
            S: 553 5.7.1 Sender address rejected
            C: MAIL FROM:<anyone@worse.example>
            S: 553 5.7.1 *
            C: MAIL FROM:<fine@bad.example>
            S: 250 *
            """);

        var blocked = mx.Connect(IPAddress.Parse("198.51.100.7"));
        await blocked.PlayAsync("""
            S: 554 5.7.1 Access denied
            CLOSED
            """);
    }

    [Fact]
    public async Task Message_rate_limit_defers()
    {
        _submission.RateLimiter.MaxMessagesPerIp = 1;
        var mx = new SmtpTestServer();
        mx.RateLimiter.MaxMessagesPerIp = 1;
        await mx.RunAsync("""
            S: 220 *
            C: HELO client.example
            S: 250 *
            C: MAIL FROM:<a@remote.example>
            S: 250 *
            C: RSET
            S: 250 *
            C: MAIL FROM:<a@remote.example>
            S: 451 4.7.1 Rate limit exceeded, try again later
            """);
    }
}
