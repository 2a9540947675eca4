using System.Net;

namespace Postroom.Pop3.Session;

/// <summary>What is known about the client of one session.</summary>
public sealed class Pop3SessionInfo
{
    /// <summary>A short unique id on every log line of the session.</summary>
    public required string SessionId { get; init; }

    /// <summary>The client, after the PROXY protocol if a load balancer sent one.</summary>
    public IPEndPoint? RemoteEndPoint { get; set; }

    public IPEndPoint? LocalEndPoint { get; set; }

    /// <summary>The authenticated user's canonical address, once logged in.</summary>
    public string? User { get; set; }

    /// <summary>Protocol and cipher once TLS is active, e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384".</summary>
    public string? TlsDescription { get; set; }

    public bool IsTls => TlsDescription is not null;

    public IPAddress? ClientAddress => RemoteEndPoint?.Address;
}
