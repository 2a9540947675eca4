using Postroom.Smtp.Data;
using Postroom.Smtp.Protocol;

namespace Postroom.Smtp.Session;

/// <summary>The end of a transaction: building what the committer gets, and logging one line for it.</summary>
public sealed partial class SmtpSession
{
    internal IncomingMessage BuildMessage(string transactionId)
    {
        var transaction = Transaction!;
        return new IncomingMessage(transactionId, transaction.Sender, transaction.Parameters, [.. transaction.Recipients], Info, Services.Time.GetUtcNow());
    }

    internal byte[] BuildReceivedHeader(IncomingMessage message) =>
        ReceivedHeader.Build(
            Info,
            Options.HostName,
            message.TransactionId,
            message.Parameters.SmtpUtf8,
            message.Recipients.Select(r => r.Path.Address).ToList(),
            message.ReceivedAt);

    /// <summary>The reply for content refused while reading it, or for a failure to store it.</summary>
    internal static SmtpReply ReplyFor(DataProblem problem) => problem switch
    {
        DataProblem.TooLarge => SmtpReplies.MessageTooLarge,
        DataProblem.LineTooLong => SmtpReplies.MessageLineTooLong,
        DataProblem.BareLineEnding => SmtpReplies.MessageBareLineEnding,
        DataProblem.MailLoop => SmtpReplies.MailLoop,
        _ => SmtpReplies.LocalError,
    };

    /// <summary>Replies, logs the transaction's one line, counts it, and returns to the ready state.</summary>
    internal void FinishTransaction(IncomingMessage message, SmtpReply reply, string? queueId, long size, long startTimestamp, Exception? error)
    {
        Reply(reply);
        var result = reply.IsError ? $"{reply.Code} {reply.Enhanced}" : "queued";
        var elapsed = Elapsed(startTimestamp);
        if (Services.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information))
        {
            SmtpLog.Transaction(
                Services.Logger,
                Info.SessionId,
                Info.ClientAddress?.ToString() ?? "unknown",
                Info.HeloName ?? "",
                Info.AuthenticatedUser ?? "",
                message.Sender.Address,
                string.Join(",", message.Recipients.Select(r => r.Path.Address)),
                size,
                queueId ?? "",
                result,
                elapsed,
                error?.GetType().Name ?? "");
        }

        SmtpMetrics.RecordTransaction(reply.IsError ? (reply.Code >= 500 ? "rejected" : "deferred") : "accepted", size, elapsed, Options.Role);
        ResetTransaction();
    }
}
