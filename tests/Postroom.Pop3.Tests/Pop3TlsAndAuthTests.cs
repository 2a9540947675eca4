using System.Text;
using Postroom.Testing;

namespace Postroom.Pop3.Tests;

/// <summary>STLS, USER/PASS and AUTH PLAIN, their refusals and the throttling of failures.</summary>
public sealed class Pop3TlsAndAuthTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>, IDisposable
{
    private static readonly string JanePlain = Plain("\0jane@example.com\0jane-password");

    private readonly Pop3TestServer _server = new(garnet, new Pop3Options { HostName = "pop.test", StartTlsAvailable = true });

    public void Dispose() => _server.Dispose();

    private const string Stls = """
        C: STLS
        S: +OK Begin TLS negotiation
        TLS
        """;

    private static string Plain(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Login_is_neither_offered_nor_accepted_before_tls()
    {
        await _server.RunAsync($"""
            S: +OK *
            C: CAPA
            S: +OK *
            S: TOP
            S: UIDL
            S: RESP-CODES
            S: AUTH-RESP-CODE
            S: PIPELINING
            S: EXPIRE NEVER
            S: STLS
            S: IMPLEMENTATION Postroom
            S: .
            C: USER jane@example.com
            S: -ERR [AUTH] Plaintext authentication disallowed on non-secure connections
            C: PASS jane-password
            S: -ERR Send USER first
            C: AUTH PLAIN {JanePlain}
            S: -ERR [AUTH] Plaintext authentication disallowed on non-secure connections
            C: AUTH PLAIN
            S: -ERR [AUTH] Plaintext authentication disallowed on non-secure connections
            C: AUTH
            S: +OK Mechanisms follow
            S: .
            C: STAT
            S: -ERR Command not valid in this state
            """);
    }

    [Fact]
    public async Task Stls_then_capa_then_user_pass()
    {
        await _server.RunAsync($"""
            S: +OK *
            {Stls}
            C: CAPA
            S: +OK *
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
            C: STLS
            S: -ERR Command not permitted when TLS active
            C: USER jane@example.com
            S: +OK Send PASS
            C: PASS jane-password
            S: +OK Logged in, 0 messages (0 octets)
            C: QUIT
            S: +OK Bye*
            CLOSED
            """);
    }

    [Fact]
    public async Task Commands_pipelined_after_stls_are_discarded_not_run_inside_tls()
    {
        var session = _server.Connect();
        await session.PlayAsync("S: +OK *");

        // The injected USER/PASS arrive in the same packet as STLS, before the client could have seen +OK.
        await session.SendAsync("STLS\r\nUSER jane@example.com\r\nPASS jane-password\r\n");
        await session.PlayAsync("""
            S: +OK Begin TLS negotiation
            TLS
            C: STAT
            S: -ERR Command not valid in this state
            C: PASS jane-password
            S: -ERR Send USER first
            C: QUIT
            S: +OK Bye
            CLOSED
            """);
    }

    [Fact]
    public async Task Stls_is_refused_where_no_certificate_is_configured()
    {
        await _server.RunAsync("""
            S: +OK *
            C: STLS
            S: -ERR TLS not available
            C: STLS now
            S: -ERR Syntax error in arguments
            """, _server.Options with { StartTlsAvailable = false });
    }

    [Fact]
    public async Task Auth_plain_with_initial_response_and_with_continuation()
    {
        await _server.RunAsync($"""
            S: +OK *
            {Stls}
            C: AUTH
            S: +OK Mechanisms follow
            S: PLAIN
            S: .
            C: AUTH PLAIN
            S: + *
            C: {JanePlain}
            S: +OK Logged in, *
            C: QUIT
            S: +OK *
            CLOSED
            """);
        await _server.RunAsync($"""
            S: +OK *
            {Stls}
            C: AUTH plain {Plain("jane@example.com\0jane@example.com\0jane-password")}
            S: +OK Logged in, *
            """);
    }

    [Theory]
    [InlineData("AUTH PLAIN AGphbmVAZXhhbXBsZS5jb20Ad3Jvbmc=", "-ERR [AUTH] Authentication failed")]
    [InlineData("AUTH PLAIN not-base64!", "-ERR Cannot decode base64 response")]
    [InlineData("AUTH PLAIN =", "-ERR [AUTH] Authentication failed")]
    [InlineData("AUTH CRAM-MD5", "-ERR Unrecognized authentication mechanism")]
    [InlineData("AUTH PLAIN a b", "-ERR Syntax error in arguments")]
    [InlineData("AUTH PLAIN am9obkBleGFtcGxlLmNvbQBqYW5lQGV4YW1wbGUuY29tAGphbmUtcGFzc3dvcmQ=", "-ERR [AUTH] Authentication failed")]
    public async Task Failed_auth_answers(string command, string reply)
    {
        await _server.RunAsync($"""
            S: +OK *
            {Stls}
            C: {command}
            S: {reply}
            C: STAT
            S: -ERR Command not valid in this state
            """);
    }

    [Fact]
    public async Task Auth_continuation_can_be_cancelled()
    {
        await _server.RunAsync($"""
            S: +OK *
            {Stls}
            C: AUTH PLAIN
            S: + *
            C: *
            S: -ERR Authentication cancelled
            C: AUTH PLAIN
            S: + *
            C: {JanePlain}
            S: +OK *
            """);
    }

    [Theory]
    [InlineData("jane@example.com", "wrong")]
    [InlineData("nobody@example.com", "jane-password")]
    [InlineData("gone@example.com", "jane-password")]
    [InlineData("imaponly@example.com", "jane-password")]
    [InlineData("jane@elsewhere.example", "jane-password")]
    public async Task Every_failed_login_gets_the_same_answer(string user, string password)
    {
        await _server.RunAsync($"""
            S: +OK *
            {Stls}
            C: USER {user}
            S: +OK Send PASS
            C: PASS {password}
            S: -ERR [AUTH] Authentication failed
            C: USER jane@example.com
            S: +OK Send PASS
            C: PASS jane-password
            S: +OK Logged in*
            """);
    }

    [Fact]
    public async Task A_password_may_contain_spaces()
    {
        // RFC 1939 §7: the PASS argument is the rest of the line. This one is simply wrong.
        await _server.RunAsync($"""
            S: +OK *
            {Stls}
            C: USER jane@example.com
            S: +OK *
            C: PASS jane password with spaces
            S: -ERR [AUTH] Authentication failed
            """);
    }

    [Fact]
    public async Task Repeated_failures_are_throttled_even_with_the_right_password()
    {
        await _server.RunAsync($"""
            S: +OK *
            {Stls}
            C: AUTH PLAIN {Plain("\0jane@example.com\0bad1")}
            S: -ERR [AUTH] *
            C: AUTH PLAIN {Plain("\0jane@example.com\0bad2")}
            S: -ERR [AUTH] *
            C: USER jane@example.com
            S: +OK *
            C: PASS bad3
            S: -ERR [AUTH] *
            C: AUTH PLAIN {JanePlain}
            S: -ERR [SYS/TEMP] Too many failed logins, try again later
            C: USER jane@example.com
            S: +OK *
            C: PASS jane-password
            S: -ERR [SYS/TEMP] Too many failed logins, try again later
            """);
    }
}
