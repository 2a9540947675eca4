using System.Net;

namespace Postroom.Smtp.Session;

/// <summary>What is known about the client of one session; policies and the Received header read it.</summary>
public sealed class SessionInfo
{
    /// <summary>A short unique id on every log line of the session.</summary>
    public required string SessionId { get; init; }

    /// <summary>The client, after the PROXY protocol if a load balancer sent one.</summary>
    public IPEndPoint? RemoteEndPoint { get; set; }

    public IPEndPoint? LocalEndPoint { get; set; }

    /// <summary>The EHLO or HELO argument.</summary>
    public string? HeloName { get; set; }

    public bool UsedEhlo { get; set; }

    /// <summary>The authenticated user's canonical address, once AUTH succeeded.</summary>
    public string? AuthenticatedUser { get; set; }

    /// <summary>Protocol and cipher once TLS is active, e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384".</summary>
    public string? TlsDescription { get; set; }

    public bool IsTls => TlsDescription is not null;

    public IPAddress? ClientAddress => RemoteEndPoint?.Address;
}
