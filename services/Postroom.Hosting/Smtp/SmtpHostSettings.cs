using Postroom.Hosting.Tcp;
using Postroom.Smtp;

namespace Postroom.Hosting.Smtp;

/// <summary>The configuration section <c>Smtp</c>: listeners and the policies they share.</summary>
public sealed class SmtpHostSettings
{
    public string HostName { get; set; } = "localhost";

    public string Greeting { get; set; } = "ESMTP Postroom";

    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    public int MaxRecipients { get; set; } = 100;

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>CIDR networks that may relay without AUTH.</summary>
    public List<string> RelayNetworks { get; set; } = [];

    /// <summary><c>user@host</c> or <c>@host</c> entries refused at MAIL FROM.</summary>
    public List<string> BlockedSenders { get; set; } = [];

    public List<string> BlockedNetworks { get; set; } = [];

    /// <summary>Allow AUTH without TLS: loopback tests only.</summary>
    public bool AllowInsecureAuth { get; set; }

    /// <summary>Listeners by name, e.g. <c>mx</c>, <c>submission</c>, <c>submissions</c>.</summary>
    public Dictionary<string, SmtpListenerSettings> Listeners { get; set; } = [];

    public SmtpRateLimitSettings RateLimits { get; set; } = new();

    /// <summary>The protocol engine's options for one listener.</summary>
    public SmtpOptions ToOptions(SmtpListenerSettings listener, bool tlsAvailable) => new()
    {
        HostName = HostName,
        Greeting = Greeting,
        Role = listener.Role,
        MaxMessageSize = listener.MaxMessageSize ?? MaxMessageSize,
        MaxRecipients = MaxRecipients,
        IdleTimeout = IdleTimeout,
        SessionTimeout = SessionTimeout,
        StartTlsAvailable = tlsAvailable && !listener.ImplicitTls,
        AllowInsecureAuth = AllowInsecureAuth,
        RelayNetworks = RelayNetworks.Select(IpNetwork.Parse).ToList(),
        BlockedSenders = BlockedSenders,
        BlockedNetworks = BlockedNetworks.Select(IpNetwork.Parse).ToList(),
    };
}

/// <summary>One SMTP listener and its role.</summary>
public sealed class SmtpListenerSettings : ListenerSettings
{
    public SmtpListenerRole Role { get; set; } = SmtpListenerRole.Mx;

    /// <summary>Overrides <see cref="SmtpHostSettings.MaxMessageSize"/> for this listener.</summary>
    public long? MaxMessageSize { get; set; }
}

/// <summary>Limits counted in Redis so they hold across replicas. Zero turns a limit off.</summary>
public sealed class SmtpRateLimitSettings
{
    /// <summary>Concurrent connections per client IP (Postfix's smtpd_client_connection_count_limit is 50).</summary>
    public int ConnectionsPerIp { get; set; } = 50;

    public int MessagesPerMinutePerIp { get; set; }

    public int MessagesPerMinutePerUser { get; set; }

    /// <summary>Failed AUTH attempts per IP within <see cref="AuthFailureWindow"/> before AUTH is refused with 454.</summary>
    public int AuthFailuresPerIp { get; set; } = 10;

    public TimeSpan AuthFailureWindow { get; set; } = TimeSpan.FromMinutes(15);
}
