using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postroom.Hosting.Tls;

namespace Postroom.Hosting.Tcp;

/// <summary>Opens one protocol listener (SMTP, IMAP or POP3) on Kestrel with the same PROXY and TLS plumbing.</summary>
public static class TcpListenerExtensions
{
    /// <summary>
    /// Binds <paramref name="listener"/>: the PROXY protocol header is read first (before any TLS), then
    /// implicit TLS if configured, then <paramref name="handler"/> runs the session.
    /// </summary>
    public static void ListenProtocol(
        this KestrelServerOptions kestrel,
        string name,
        ListenerSettings listener,
        CertificateProvider certificates,
        Func<IServiceProvider, Func<ConnectionContext, Task>> handler)
    {
        if (listener.ImplicitTls && !certificates.IsAvailable)
        {
            throw new InvalidOperationException($"listener '{name}' uses implicit TLS but no certificate is configured (Tls:CertificatePath and Tls:KeyPath)");
        }

        kestrel.Listen(listener.EndPoint, options =>
        {
            var services = options.ApplicationServices;
            if (listener.ProxyProtocol)
            {
                var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Postroom.ProxyProtocol");
                options.Use(ProxyProtocolMiddleware.Create(listener.TrustedProxyNetworks, logger));
            }

            if (listener.ImplicitTls)
            {
                options.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificateSelector = (_, _) => certificates.Current });
            }

            options.Run(handler(services));
        });
    }
}
