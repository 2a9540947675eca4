using Microsoft.Extensions.Logging;

namespace Postroom.Smtp;

/// <summary>Structured log lines with stable event ids. Credentials never appear in any of them.</summary>
internal static partial class SmtpLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "smtp transaction session={SessionId} client={ClientIp} helo={Helo} user={AuthUser} from=<{Sender}> to={Recipients} size={Size} queue_id={QueueId} result={Result} duration_ms={DurationMs} error={Error}")]
    public static partial void Transaction(ILogger logger, string sessionId, string clientIp, string helo, string authUser, string sender, string recipients, long size, string queueId, string result, long durationMs, string error);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "smtp session={SessionId} ended early: {Reason}")]
    public static partial void SessionAborted(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "smtp session={SessionId} discarded {Bytes} bytes pipelined after STARTTLS")]
    public static partial void DiscardedAfterStartTls(ILogger logger, string sessionId, long bytes);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "smtp auth session={SessionId} client={ClientIp} mechanism={Mechanism} user={User} result={Result}")]
    public static partial void Authentication(ILogger logger, string sessionId, string clientIp, string mechanism, string user, string result);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "smtp session={SessionId} TLS handshake failed: {Reason}")]
    public static partial void TlsFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "smtp session={SessionId} command {Verb} failed; answered 451")]
    public static partial void CommandFailed(ILogger logger, string sessionId, string verb, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "smtp session={SessionId} failed")]
    public static partial void SessionFailed(ILogger logger, string sessionId, Exception exception);
}
