using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Postroom.Hosting.Tcp;
using Postroom.Hosting.Tls;
using Postroom.Smtp;
using Postroom.Smtp.Session;

namespace Postroom.Hosting.Smtp;

/// <summary>Runs one SMTP session per Kestrel connection of a listener.</summary>
public sealed class SmtpConnectionHandler(SmtpOptions options, SmtpServices services, CertificateProvider certificates)
{
    public async Task HandleAsync(ConnectionContext context)
    {
        var connection = new TlsConnection(context, certificates);
        var transport = connection;
        var info = new SessionInfo
        {
            SessionId = SmtpSession.NewSessionId(),
            RemoteEndPoint = context.RemoteEndPoint as IPEndPoint,
            LocalEndPoint = context.LocalEndPoint as IPEndPoint,
        };

        // Kestrel asks connections to close when the host stops: the session answers 421 when idle and
        // finishes a transfer in progress; after the host's shutdown timeout the connection is aborted.
        var closeRequested = context.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        try
        {
            await new SmtpSession(options, services, connection, info).RunAsync(closeRequested, context.ConnectionClosed).ConfigureAwait(false);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
