namespace Postroom.Smtp;

/// <summary>Every limit and switch of one SMTP listener. One instance per listener role.</summary>
public sealed record SmtpOptions
{
    /// <summary>The name in the greeting, in Received headers and in EHLO replies.</summary>
    public string HostName { get; init; } = "localhost";

    /// <summary>Text after the host name in the 220 greeting. No version: it only helps attackers.</summary>
    public string Greeting { get; init; } = "ESMTP Postroom";

    public SmtpListenerRole Role { get; init; } = SmtpListenerRole.Mx;

    /// <summary>Largest message accepted, advertised with SIZE (qmail's databytes). A domain may set a lower one.</summary>
    public long MaxMessageSize { get; init; } = 50L * 1024 * 1024;

    /// <summary>RFC 5321 §4.5.3.1.8 requires at least 100.</summary>
    public int MaxRecipients { get; init; } = 100;

    /// <summary>RFC 5321 §4.5.3.1.4: 512 octets including CRLF.</summary>
    public int MaxCommandLineLength { get; init; } = 512;

    /// <summary>RFC 4954 §4: an AUTH command with initial response may be up to 12288 octets.</summary>
    public int MaxAuthLineLength { get; init; } = 12288;

    /// <summary>RFC 5321 §4.5.3.1.6: 1000 octets including CRLF.</summary>
    public int MaxTextLineLength { get; init; } = 1000;

    /// <summary>More Received headers than this means a mail loop (RFC 5321 §6.3).</summary>
    public int MaxReceivedHeaders { get; init; } = 100;

    /// <summary>How long a client may stay silent between commands (RFC 5321 §4.5.3.2.7 suggests 5 minutes).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Upper bound on one session, whatever it does (qmail's timeoutsmtpd covered only idling).</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Invalid commands tolerated before the session is closed with 421.</summary>
    public int MaxErrors { get; init; } = 20;

    /// <summary>Offer STARTTLS (a certificate is configured and the connection is not TLS yet).</summary>
    public bool StartTlsAvailable { get; init; }

    /// <summary>Allow AUTH without TLS. Only for loopback tests; never in a deployment.</summary>
    public bool AllowInsecureAuth { get; init; }

    /// <summary>Networks whose clients may relay without AUTH (qmail's RELAYCLIENT, Postfix's mynetworks).</summary>
    public IReadOnlyList<IpNetwork> RelayNetworks { get; init; } = [];

    /// <summary>Senders refused at MAIL FROM: <c>user@host</c> or <c>@host</c> (qmail's badmailfrom).</summary>
    public IReadOnlyList<string> BlockedSenders { get; init; } = [];

    /// <summary>Client networks refused at connect.</summary>
    public IReadOnlyList<IpNetwork> BlockedNetworks { get; init; } = [];

    /// <summary>Whether AUTH is offered: submission roles only.</summary>
    public bool AuthEnabled => Role != SmtpListenerRole.Mx;
}

/// <summary>What a listener is for.</summary>
public enum SmtpListenerRole
{
    /// <summary>Port 25: mail from the world to hosted domains, no AUTH.</summary>
    Mx,

    /// <summary>Port 587: STARTTLS then AUTH; authenticated users may relay.</summary>
    Submission,

    /// <summary>Port 465: implicit TLS, otherwise as submission (RFC 8314).</summary>
    Submissions,
}
