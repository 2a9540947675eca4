using Postroom.Hosting.Smtp;
using Postroom.Hosting.Tcp;
using Postroom.Imap;
using Postroom.Pop3;

namespace Postroom.Hosting.Mailbox;

/// <summary>The configuration section <c>MailboxAccess</c>: IMAP and POP3 listeners and their shared limits.</summary>
public sealed class MailboxAccessSettings
{
    public string HostName { get; set; } = "localhost";

    /// <summary>Allow LOGIN, USER/PASS and AUTH without TLS: loopback tests only.</summary>
    public bool AllowInsecureAuth { get; set; }

    /// <summary>Listeners by name, e.g. <c>imap</c>, <c>imaps</c>, <c>pop3</c>, <c>pop3s</c>.</summary>
    public Dictionary<string, MailboxListenerSettings> Listeners { get; set; } = [];

    /// <summary>Per-IP connection slots and login-failure throttling, counted in Redis across replicas.</summary>
    public SmtpRateLimitSettings RateLimits { get; set; } = new();

    public ImapOptions ToImapOptions(MailboxListenerSettings listener, bool tlsAvailable) => new()
    {
        HostName = HostName,
        StartTlsAvailable = tlsAvailable && !listener.ImplicitTls,
        AllowInsecureAuth = AllowInsecureAuth,
    };

    public Pop3Options ToPop3Options(MailboxListenerSettings listener, bool tlsAvailable) => new()
    {
        HostName = HostName,
        StartTlsAvailable = tlsAvailable && !listener.ImplicitTls,
        AllowInsecureAuth = AllowInsecureAuth,
    };
}

/// <summary>One IMAP or POP3 listener.</summary>
public sealed class MailboxListenerSettings : ListenerSettings
{
    public MailboxProtocol Protocol { get; set; } = MailboxProtocol.Imap;
}

public enum MailboxProtocol
{
    Imap,
    Pop3,
}
