using Microsoft.Extensions.Logging;

namespace Postroom.Pop3;

/// <summary>Structured log lines with stable event ids. Credentials never appear in any of them.</summary>
internal static partial class Pop3Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "pop3 session session={SessionId} client={ClientIp} user={User} tls={Tls} retrieved={Retrieved} deleted={Deleted} end={End} duration_ms={DurationMs}")]
    public static partial void SessionEnded(ILogger logger, string sessionId, string clientIp, string user, bool tls, int retrieved, int deleted, string end, long durationMs);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "pop3 session={SessionId} ended early: {Reason}")]
    public static partial void SessionAborted(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "pop3 session={SessionId} discarded {Bytes} bytes pipelined after STLS")]
    public static partial void DiscardedAfterStartTls(ILogger logger, string sessionId, long bytes);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "pop3 auth session={SessionId} client={ClientIp} mechanism={Mechanism} user={User} result={Result}")]
    public static partial void Authentication(ILogger logger, string sessionId, string clientIp, string mechanism, string user, string result);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "pop3 session={SessionId} TLS handshake failed: {Reason}")]
    public static partial void TlsFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "pop3 session={SessionId} user={User} store failure during {Operation}")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string sessionId, string user, string operation);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "pop3 session={SessionId} failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception, string sessionId);
}
