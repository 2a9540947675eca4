using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postroom.Config;
using Postroom.Hosting.Tcp;
using Postroom.Hosting.Tls;
using Postroom.Queue;
using Postroom.Smtp.Policy;
using Postroom.Smtp.Session;
using Postroom.Storage;
using StackExchange.Redis;

namespace Postroom.Hosting.Smtp;

/// <summary>Wires smtp-ingress into a host: services from DI, one Kestrel listener per configured role.</summary>
public static class SmtpHostingExtensions
{
    /// <summary>
    /// Registers what SMTP sessions need. The host registers <see cref="IConfigSnapshotSource"/>,
    /// <see cref="IBlobStore"/>, <see cref="IMailQueue"/> and <see cref="IConnectionMultiplexer"/>.
    /// </summary>
    public static IServiceCollection AddSmtpIngress(this IServiceCollection services, SmtpHostSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IMessageCommitter, BlobQueueMessageCommitter>();
        services.AddSingleton<ISmtpRateLimiter>(sp => new RedisSmtpRateLimiter(
            sp.GetRequiredService<IConnectionMultiplexer>(), settings.RateLimits, sp.GetRequiredService<TimeProvider>(), settings.SessionTimeout));
        services.AddSingleton(sp => new SmtpServices(
            sp.GetRequiredService<IConfigSnapshotSource>(),
            sp.GetRequiredService<IMessageCommitter>(),
            sp.GetRequiredService<ISmtpRateLimiter>(),
            DefaultSmtpPolicies.Create(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Postroom.Smtp")));
        return services;
    }

    /// <summary>Opens every configured SMTP listener on Kestrel, next to the HTTP endpoints.</summary>
    public static void ListenSmtp(this KestrelServerOptions kestrel, SmtpHostSettings settings, CertificateProvider certificates)
    {
        foreach (var (name, listener) in settings.Listeners)
        {
            kestrel.ListenProtocol(name, listener, certificates, services =>
                new SmtpConnectionHandler(settings.ToOptions(listener, certificates.IsAvailable), services.GetRequiredService<SmtpServices>(), certificates).HandleAsync);
        }
    }
}
