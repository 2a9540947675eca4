namespace Postroom.ProxyProtocol;

/// <summary>What a PROXY protocol header says about the connection.</summary>
public enum ProxyCommand
{
    /// <summary>
    /// The connection was relayed on behalf of a client; <see cref="ProxyHeader.SourceEndPoint"/> is that client
    /// (v1 <c>TCP4</c>/<c>TCP6</c>, v2 <c>PROXY</c> over <c>AF_INET</c>/<c>AF_INET6</c> + <c>STREAM</c>).
    /// </summary>
    Proxy,

    /// <summary>
    /// v2 <c>LOCAL</c> (section 2.2): the proxy opened the connection itself, e.g. a health check.
    /// The real connection's endpoints apply.
    /// </summary>
    Local,

    /// <summary>
    /// v1 <c>UNKNOWN</c> (section 2.1) or v2 <c>PROXY</c> with <c>AF_UNSPEC</c> family or <c>UNSPEC</c> transport
    /// (section 2.2): the proxy speaks the protocol but cannot describe the client. The real connection's endpoints apply.
    /// </summary>
    Unknown,
}
