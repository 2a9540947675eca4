using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Postroom.Hosting.Tcp;
using Postroom.Hosting.Tls;
using Postroom.Pop3;
using Postroom.Pop3.Session;

namespace Postroom.Hosting.Mailbox;

/// <summary>Runs one POP3 session per Kestrel connection of a listener.</summary>
public sealed class Pop3ConnectionHandler(Pop3Options options, Pop3Services services, CertificateProvider certificates)
{
    public async Task HandleAsync(ConnectionContext context)
    {
        var connection = new TlsConnection(context, certificates);
        var info = new Pop3SessionInfo
        {
            SessionId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 6)),
            RemoteEndPoint = context.RemoteEndPoint as IPEndPoint,
            LocalEndPoint = context.LocalEndPoint as IPEndPoint,
        };
        var closeRequested = context.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        try
        {
            await new Pop3Session(options, services, connection, info).RunAsync(closeRequested, context.ConnectionClosed).ConfigureAwait(false);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
