using System.Net;

namespace Postroom.ProxyProtocol;

/// <summary>A parsed PROXY protocol header.</summary>
/// <param name="Command">What the header says about the connection.</param>
/// <param name="SourceEndPoint">The original client; set only for <see cref="ProxyCommand.Proxy"/>.
/// Addresses are reported as sent (an IPv4-mapped IPv6 address in a v2 <c>AF_INET6</c> block stays IPv6).</param>
/// <param name="DestinationEndPoint">The address the client connected to; set only for <see cref="ProxyCommand.Proxy"/>.</param>
/// <param name="Version">The protocol version, 1 (text) or 2 (binary).</param>
public sealed record ProxyHeader(ProxyCommand Command, IPEndPoint? SourceEndPoint, IPEndPoint? DestinationEndPoint, int Version)
{
    /// <summary>
    /// The v2 <c>PP2_TYPE_AUTHORITY</c> TLV (section 2.2.2, typically the TLS SNI host name) when present and made of
    /// printable ASCII; otherwise <see langword="null"/>. Always <see langword="null"/> for v1.
    /// </summary>
    public string? Authority { get; init; }
}
