using Microsoft.Extensions.Logging;

namespace Postroom.MailboxApi;

/// <summary>Structured log lines of the mailbox API, with stable event ids.</summary>
internal static partial class MailboxApiLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "mailbox append user={User} mailbox={Mailbox} blob={BlobKey} size={Size} uidvalidity={UidValidity} uid={Uid} duplicate={Duplicate}")]
    public static partial void Appended(ILogger logger, string user, string mailbox, string blobKey, long size, uint uidValidity, uint uid, bool duplicate);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "mailbox append user={User} mailbox={Mailbox} refused: {Status} {Reason}")]
    public static partial void Refused(ILogger logger, string user, string mailbox, string status, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "mailbox data deleted user={User} messages={Messages}")]
    public static partial void UserDataDeleted(ILogger logger, string user, long messages);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "mailbox data deleted domain={Domain} users={Users} messages={Messages}")]
    public static partial void DomainDataDeleted(ILogger logger, string domain, int users, long messages);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "mailbox api {Operation} failed: store unavailable")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception, string operation);
}
