using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Postroom.ProxyProtocol;

namespace Postroom.Hosting.Tcp;

/// <summary>
/// Reads the PROXY protocol header a load balancer sends before anything else, and makes its client address
/// the connection's remote address, so every policy sees the real client. Headers are taken only from the
/// configured load-balancer networks; anything else closes the connection.
/// </summary>
internal static partial class ProxyProtocolMiddleware
{
    public static Func<ConnectionDelegate, ConnectionDelegate> Create(IReadOnlyList<IPNetwork> trustedNetworks, ILogger logger) =>
        next => async context =>
        {
            var remote = context.RemoteEndPoint as IPEndPoint;
            var result = await ProxyProtocolReader.ReadAsync(context.Transport.Input, remote, trustedNetworks, ProxyProtocolReader.DefaultTimeout, context.ConnectionClosed).ConfigureAwait(false);
            if (!result.IsAccepted)
            {
                Refused(logger, remote?.ToString() ?? "unknown", result.RefusalReason);
                context.Abort(new ConnectionAbortedException("PROXY protocol header refused"));
                return;
            }

            context.RemoteEndPoint = result.ClientEndPoint;
            await next(context).ConfigureAwait(false);
        };

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "PROXY protocol refused from {Peer}: {Reason}")]
    private static partial void Refused(ILogger logger, string peer, string reason);
}
