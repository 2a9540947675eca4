namespace Postroom.Pop3;

/// <summary>Every limit and switch of one POP3 listener.</summary>
public sealed record Pop3Options
{
    /// <summary>The name in the greeting. No version in the greeting: it only helps attackers.</summary>
    public string HostName { get; init; } = "localhost";

    /// <summary>RFC 2449 §4: a command line is at most 255 octets including CRLF.</summary>
    public int MaxCommandLineLength { get; init; } = 255;

    /// <summary>
    /// Longest AUTH line (command with initial response, or a continuation response). RFC 5034 §4 lets SASL
    /// responses exceed the 255-octet command limit.
    /// </summary>
    public int MaxAuthLineLength { get; init; } = 4096;

    /// <summary>RFC 1939 §3: the autologout timer must be at least 10 minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Upper bound on one session, whatever it does.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Invalid commands tolerated before the session is closed.</summary>
    public int MaxErrors { get; init; } = 20;

    /// <summary>Offer STLS (a certificate is configured and the connection is not TLS yet).</summary>
    public bool StartTlsAvailable { get; init; }

    /// <summary>Allow USER/PASS and AUTH without TLS. Only for loopback tests; never in a deployment.</summary>
    public bool AllowInsecureAuth { get; init; }

    /// <summary>Flag retrieved messages \Seen at QUIT, so IMAP shows them read (Dovecot's default).</summary>
    public bool MarkRetrievedSeen { get; init; } = true;

    /// <summary>Bytes read from object storage per step while streaming RETR and TOP.</summary>
    public int StreamBufferSize { get; init; } = 16 * 1024;
}
