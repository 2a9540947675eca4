namespace Postroom.Imap;

/// <summary>Every limit and switch of one IMAP listener.</summary>
public sealed record ImapOptions
{
    /// <summary>The name in the greeting. No version: it only helps attackers.</summary>
    public string HostName { get; init; } = "localhost";

    /// <summary>Longest command line in octets, CRLF included, literals not counted (RFC 7162 §4 suggests at least 8192).</summary>
    public int MaxLineLength { get; init; } = 8192;

    /// <summary>Largest literal inside a command other than APPEND's message (search strings, names, passwords).</summary>
    public int MaxLiteralSize { get; init; } = 64 * 1024;

    /// <summary>Largest whole command held in memory: all its lines and literals (APPEND's message excluded).</summary>
    public int MaxCommandSize { get; init; } = 1024 * 1024;

    /// <summary>Largest message APPEND accepts; it is streamed to object storage, never held in memory.</summary>
    public long MaxMessageSize { get; init; } = 50L * 1024 * 1024;

    /// <summary>
    /// A non-synchronizing literal (LITERAL+, RFC 7888) over the limit arrives anyway; up to this size it is
    /// read and thrown away so the session stays in step, beyond it the session ends with BYE.
    /// </summary>
    public long MaxDiscardSize { get; init; } = 64L * 1024 * 1024;

    /// <summary>Deepest parenthesis nesting of a SEARCH program.</summary>
    public int MaxNesting { get; init; } = 16;

    /// <summary>Largest header section read to answer HEADER.FIELDS or a header SEARCH.</summary>
    public int MaxHeaderRead { get; init; } = 256 * 1024;

    /// <summary>Largest message parsed for a BODY or TEXT search; bigger messages are searched in their first part only.</summary>
    public long MaxSearchBodySize { get; init; } = 10L * 1024 * 1024;

    /// <summary>RFC 3501 §5.4: an autologout timer must be at least 30 minutes (IDLE included, RFC 2177).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A client that has not logged in gets less time.</summary>
    public TimeSpan PreAuthTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Syntax errors tolerated before the session is closed with BYE.</summary>
    public int MaxErrors { get; init; } = 20;

    /// <summary>Offer STARTTLS (a certificate is configured and the connection is not TLS yet).</summary>
    public bool StartTlsAvailable { get; init; }

    /// <summary>Allow LOGIN and AUTHENTICATE without TLS. Only for loopback tests; never in a deployment.</summary>
    public bool AllowInsecureAuth { get; init; }

    /// <summary>Messages read from the store per page while streaming FETCH, SEARCH and SELECT.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Output buffered before a streaming response is flushed to the client.</summary>
    public int FlushThreshold { get; init; } = 64 * 1024;
}
