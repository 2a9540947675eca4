using System.Diagnostics;
using Postroom.Smtp.Data;
using Postroom.Smtp.Protocol;
using Postroom.Smtp.Session;

namespace Postroom.Smtp.Commands;

/// <summary>
/// DATA (RFC 5321 §4.1.1.4): the content streams through the decoder straight into the committer, which
/// stores it and queues it; 250 is sent only after both are durable.
/// </summary>
internal sealed class DataCommand : ISmtpCommand
{
    public async Task ExecuteAsync(SmtpSession session, string arguments, CancellationToken cancellationToken)
    {
        if (arguments.Length > 0)
        {
            session.Error(SmtpReplies.SyntaxError);
            return;
        }

        var options = session.Options;
        var message = session.BuildMessage(session.Services.Committer.NewMessageId());
        var header = session.BuildReceivedHeader(message);
        var decoder = new DataDecoder(session.Transaction!.MaxMessageSize, options.MaxTextLineLength, options.MaxReceivedHeaders);
        var content = new DataContentStream(session.Transport.Input, decoder);
        await session.ReplyAndFlushAsync(SmtpReplies.StartData).ConfigureAwait(false);

        var start = Stopwatch.GetTimestamp();
        try
        {
            var queueId = await session.Services.Committer.CommitAsync(message, new PrefixedStream(header, content), cancellationToken).ConfigureAwait(false);
            session.FinishTransaction(message, SmtpReplies.Queued(queueId), queueId, decoder.ContentLength, start, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Refused content, a storage failure or a dropped connection: nothing was committed. Read on to the
            // end marker so the next line is taken as a command, never as leftover message text.
            if (!await content.DrainAsync(cancellationToken).ConfigureAwait(false))
            {
                session.Closing = true;
                return;
            }

            session.FinishTransaction(message, SmtpSession.ReplyFor(decoder.Problem), null, decoder.ContentLength, start, e);
        }
    }
}
