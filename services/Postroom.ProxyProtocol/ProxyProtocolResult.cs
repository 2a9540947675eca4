using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Postroom.ProxyProtocol;

/// <summary>Outcome of <see cref="ProxyProtocolReader.ReadAsync"/>: accept with an effective client, or refuse.</summary>
public sealed class ProxyProtocolResult
{
    private ProxyProtocolResult(IPEndPoint? clientEndPoint, ProxyHeader? header, string? refusalReason)
    {
        ClientEndPoint = clientEndPoint;
        Header = header;
        RefusalReason = refusalReason;
    }

    /// <summary>Whether the connection may proceed; when <see langword="false"/> the caller must close it.</summary>
    [MemberNotNullWhen(true, nameof(ClientEndPoint), nameof(Header))]
    [MemberNotNullWhen(false, nameof(RefusalReason))]
    public bool IsAccepted => RefusalReason is null;

    /// <summary>
    /// The client that policies (relay networks, per-IP limits) must see: the header's source for
    /// <see cref="ProxyCommand.Proxy"/>, the real peer (the load balancer) for <see cref="ProxyCommand.Local"/> and
    /// <see cref="ProxyCommand.Unknown"/>.
    /// </summary>
    public IPEndPoint? ClientEndPoint { get; }

    /// <summary>The header that was consumed, when accepted.</summary>
    public ProxyHeader? Header { get; }

    /// <summary>Why the connection was refused (for logs), when refused.</summary>
    public string? RefusalReason { get; }

    public static ProxyProtocolResult Accepted(IPEndPoint clientEndPoint, ProxyHeader header)
    {
        ArgumentNullException.ThrowIfNull(clientEndPoint);
        ArgumentNullException.ThrowIfNull(header);
        return new ProxyProtocolResult(clientEndPoint, header, null);
    }

    public static ProxyProtocolResult Refused(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new ProxyProtocolResult(null, null, reason);
    }

    public override string ToString() =>
        IsAccepted ? "Accepted " + ClientEndPoint : "Refused: " + RefusalReason;
}
