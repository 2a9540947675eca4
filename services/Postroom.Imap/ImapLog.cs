using Microsoft.Extensions.Logging;

namespace Postroom.Imap;

/// <summary>Structured log lines with stable event ids. Credentials never appear in any of them.</summary>
internal static partial class ImapLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "imap session={SessionId} ended early: {Reason}")]
    public static partial void SessionAborted(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "imap session={SessionId} discarded {Bytes} bytes pipelined after STARTTLS")]
    public static partial void DiscardedAfterStartTls(ILogger logger, string sessionId, long bytes);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "imap auth session={SessionId} client={ClientIp} mechanism={Mechanism} user={User} result={Result}")]
    public static partial void Authentication(ILogger logger, string sessionId, string clientIp, string mechanism, string user, string result);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "imap session={SessionId} TLS handshake failed: {Reason}")]
    public static partial void TlsFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "imap session={SessionId} command {Command} failed")]
    public static partial void CommandFailed(ILogger logger, string sessionId, string command, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "imap append session={SessionId} user={User} mailbox={Mailbox} size={Size} uid={Uid}")]
    public static partial void Appended(ILogger logger, string sessionId, string user, string mailbox, long size, uint uid);
}
