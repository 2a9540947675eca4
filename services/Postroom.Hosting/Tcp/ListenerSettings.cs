using System.Net;

namespace Postroom.Hosting.Tcp;

/// <summary>One TCP listener of a protocol service (SMTP, IMAP or POP3).</summary>
public class ListenerSettings
{
    /// <summary>Address to bind; <c>0.0.0.0</c> in a container, <c>127.0.0.1</c> on a laptop.</summary>
    public string Address { get; set; } = "0.0.0.0";

    public int Port { get; set; }

    /// <summary>TLS from the first byte (465, 993, 995).</summary>
    public bool ImplicitTls { get; set; }

    /// <summary>Expect a PROXY protocol v1/v2 header from a load balancer on every connection.</summary>
    public bool ProxyProtocol { get; set; }

    /// <summary>CIDR networks of the load balancers allowed to send PROXY headers.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    public IPEndPoint EndPoint => new(IPAddress.Parse(Address), Port);

    public IReadOnlyList<IPNetwork> TrustedProxyNetworks => TrustedProxies.Select(IPNetwork.Parse).ToList();
}
