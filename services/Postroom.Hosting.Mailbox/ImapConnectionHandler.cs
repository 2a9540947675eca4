using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Postroom.Hosting.Tcp;
using Postroom.Hosting.Tls;
using Postroom.Imap;
using Postroom.Imap.Session;

namespace Postroom.Hosting.Mailbox;

/// <summary>Runs one IMAP session per Kestrel connection of a listener.</summary>
public sealed class ImapConnectionHandler(ImapOptions options, ImapServices services, CertificateProvider certificates)
{
    public async Task HandleAsync(ConnectionContext context)
    {
        var connection = new TlsConnection(context, certificates);
        var info = new ImapSessionInfo
        {
            SessionId = ImapSessionInfo.NewSessionId(),
            RemoteEndPoint = context.RemoteEndPoint as IPEndPoint,
            LocalEndPoint = context.LocalEndPoint as IPEndPoint,
        };
        var closeRequested = context.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        try
        {
            await new ImapSession(options, services, connection, info).RunAsync(closeRequested, context.ConnectionClosed).ConfigureAwait(false);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
