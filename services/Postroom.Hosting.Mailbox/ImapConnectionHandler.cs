using System.IO.Pipelines;
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
            await new ImapSession(options, services, new Transport(connection), info).RunAsync(closeRequested, context.ConnectionClosed).ConfigureAwait(false);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Transport(TlsConnection connection) : IImapTransport
    {
        public PipeReader Input => connection.Input;

        public PipeWriter Output => connection.Output;

        public string? TlsDescription => connection.TlsDescription;

        public Task StartTlsAsync(CancellationToken cancellationToken) => connection.StartTlsAsync(cancellationToken);
    }
}
