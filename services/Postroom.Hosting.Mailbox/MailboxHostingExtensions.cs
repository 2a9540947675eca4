using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postroom.Config;
using Postroom.Hosting.Smtp;
using Postroom.Hosting.Tcp;
using Postroom.Hosting.Tls;
using Postroom.Imap.Session;
using Postroom.Mailbox;
using Postroom.Mailbox.Redis;
using Postroom.Pop3.Session;
using Postroom.Storage;
using StackExchange.Redis;

namespace Postroom.Hosting.Mailbox;

/// <summary>Wires mailbox-access into a host: the store, the IMAP and POP3 services, one listener per configured name.</summary>
public static class MailboxHostingExtensions
{
    /// <summary>
    /// Registers the mailbox store and the IMAP/POP3 services. The host registers <see cref="IConfigSnapshotSource"/>,
    /// <see cref="IBlobStore"/> and <see cref="IConnectionMultiplexer"/>; <paramref name="maildropLocks"/> is
    /// process-local in the all-in-one host.
    /// </summary>
    public static IServiceCollection AddMailboxAccess(this IServiceCollection services, MailboxAccessSettings settings, IMaildropLocks maildropLocks)
    {
        services.AddSingleton(settings);
        services.AddSingleton<IMailboxStore>(sp => new RedisMailboxStore(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IBlobStore>(), timeProvider: sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ImapServices(
            sp.GetRequiredService<IConfigSnapshotSource>(),
            sp.GetRequiredService<IMailboxStore>(),
            sp.GetRequiredService<IBlobStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Postroom.Imap")));
        services.AddSingleton(sp => new Pop3Services(
            sp.GetRequiredService<IConfigSnapshotSource>(),
            sp.GetRequiredService<IMailboxStore>(),
            sp.GetRequiredService<IBlobStore>(),
            new RedisPop3RateLimiter(new RedisSmtpRateLimiter(
                sp.GetRequiredService<IConnectionMultiplexer>(), settings.RateLimits, sp.GetRequiredService<TimeProvider>(), TimeSpan.FromHours(1), "postroom:pop3")),
            maildropLocks,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Postroom.Pop3")));
        return services;
    }

    /// <summary>Opens every configured IMAP and POP3 listener on Kestrel.</summary>
    public static void ListenMailboxAccess(this KestrelServerOptions kestrel, MailboxAccessSettings settings, CertificateProvider certificates)
    {
        foreach (var (name, listener) in settings.Listeners)
        {
            kestrel.ListenProtocol(name, listener, certificates, services => listener.Protocol == MailboxProtocol.Imap
                ? new ImapConnectionHandler(settings.ToImapOptions(listener, certificates.IsAvailable), services.GetRequiredService<ImapServices>(), certificates).HandleAsync
                : new Pop3ConnectionHandler(settings.ToPop3Options(listener, certificates.IsAvailable), services.GetRequiredService<Pop3Services>(), certificates).HandleAsync);
        }
    }
}
