using System.Globalization;
using Microsoft.Extensions.Logging;
using Postroom.Queue;
using Postroom.Smtp.Session;
using Postroom.Storage;

namespace Postroom.Hosting.Smtp;

/// <summary>
/// The durable commit of an accepted message: the body is streamed to object storage, then one queue entry
/// references it. Only when both are durable does the session answer 250.
/// </summary>
public sealed partial class BlobQueueMessageCommitter(IBlobStore blobs, IMailQueue queue, TimeProvider time, ILogger<BlobQueueMessageCommitter> logger) : IMessageCommitter
{
    public string NewMessageId() => QueueId.New(time).Value;

    public async Task<string> CommitAsync(IncomingMessage message, Stream content, CancellationToken cancellationToken)
    {
        var id = QueueId.Parse(message.TransactionId);
        var key = BodyKey(id);
        var body = await blobs.PutAsync(key, content, cancellationToken).ConfigureAwait(false);
        try
        {
            // The body is stored; the queue entry is the commit point. It runs to completion even if the
            // client disconnects now, so a stored body is never left without its entry because of a cancel.
            await queue.EnqueueAsync(ToEntry(id, key, body.Length, message), CancellationToken.None).ConfigureAwait(false);
            return id.Value;
        }
        catch (Exception e)
        {
            await DeleteOrphanAsync(key, e).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Bodies are grouped by day, so old prefixes can be listed on their own.</summary>
    public static string BodyKey(QueueId id) =>
        string.Create(CultureInfo.InvariantCulture, $"messages/{id.Timestamp:yyyy/MM/dd}/{id.Value}");

    private static NewQueueEntry ToEntry(QueueId id, string key, long size, IncomingMessage message)
    {
        var session = message.Session;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EnvelopeAttributes.ClientIp] = session.ClientAddress?.ToString() ?? "",
            [EnvelopeAttributes.Helo] = session.HeloName ?? "",
        };
        if (session.AuthenticatedUser is { } user)
        {
            attributes[EnvelopeAttributes.AuthUser] = user;
        }

        if (message.Parameters.SmtpUtf8)
        {
            attributes[EnvelopeAttributes.SmtpUtf8] = "1";
        }

        if (message.Parameters.Body is { } bodyType)
        {
            attributes[EnvelopeAttributes.Body] = bodyType;
        }

        return new NewQueueEntry
        {
            Id = id,
            Envelope = new Envelope(message.Sender.Address, key, size, message.ReceivedAt)
            {
                Ret = message.Parameters.Ret,
                EnvId = message.Parameters.EnvId,
                Attributes = attributes,
            },
            Recipients = message.Recipients
                .Select(r => new QueuedRecipient(r.Path.Address) { Notify = r.Parameters.Notify, OriginalRecipient = r.Parameters.OriginalRecipient })
                .ToList(),
        };
    }

    private async Task DeleteOrphanAsync(string key, Exception cause)
    {
        try
        {
            await blobs.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A body without a queue entry is never delivered, only wasted space; the log line names it
            // so an operator can remove it.
            OrphanLeft(logger, key, cause.Message, e.Message);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "queueing failed ({Cause}) and the stored body {Key} could not be deleted ({Error}); no queue entry references it")]
    private static partial void OrphanLeft(ILogger logger, string key, string cause, string error);
}
