using Postroom.Smtp.Protocol;

namespace Postroom.Smtp.Session;

/// <summary>
/// Makes an accepted message durable: the content goes to object storage, then one queue entry commits it.
/// The session answers 250 only when this returns.
/// </summary>
public interface IMessageCommitter
{
    /// <summary>A new id for a transaction; the committer queues the message under it, so the id in the
    /// Received header is the queue id the 250 reply names.</summary>
    string NewMessageId();

    /// <summary>Streams <paramref name="content"/> to storage and queues the message; returns the queue id.</summary>
    /// <remarks>If reading <paramref name="content"/> throws, nothing may remain committed or visible.</remarks>
    Task<string> CommitAsync(IncomingMessage message, Stream content, CancellationToken cancellationToken);
}

/// <summary>The envelope of one SMTP transaction as it is handed to the committer.</summary>
public sealed record IncomingMessage(
    string TransactionId,
    SmtpPath Sender,
    MailParameters Parameters,
    IReadOnlyList<AcceptedRecipient> Recipients,
    SessionInfo Session,
    DateTimeOffset ReceivedAt);

/// <summary>A recipient accepted at RCPT time with its DSN parameters.</summary>
public sealed record AcceptedRecipient(SmtpPath Path, RcptParameters Parameters);
