using System.Net;

namespace Postroom.Imap.Session;

/// <summary>What is known about the client of one session.</summary>
public sealed class ImapSessionInfo
{
    /// <summary>A short unique id on every log line of the session.</summary>
    public required string SessionId { get; init; }

    /// <summary>The client, after the PROXY protocol if a load balancer sent one.</summary>
    public IPEndPoint? RemoteEndPoint { get; set; }

    public IPEndPoint? LocalEndPoint { get; set; }

    /// <summary>The authenticated user's canonical address.</summary>
    public string? User { get; set; }

    /// <summary>The user's quota in bytes (null: unlimited), read at login.</summary>
    public long? QuotaBytes { get; set; }

    /// <summary>Protocol and cipher once TLS is active.</summary>
    public string? TlsDescription { get; set; }

    public bool IsTls => TlsDescription is not null;

    /// <summary>A short random id for log lines of one session.</summary>
    public static string NewSessionId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 6));
}
