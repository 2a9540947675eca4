using System.Globalization;
using Postroom.Smtp.Data;
using Postroom.Smtp.Protocol;
using Postroom.Smtp.Session;

namespace Postroom.Smtp.Commands;

/// <summary>BDAT (RFC 3030 §2): <c>"BDAT" SP chunk-size [ SP end-marker ]</c>; exactly chunk-size octets follow.</summary>
internal sealed class BdatCommand : ISmtpCommand
{
    public async Task ExecuteAsync(SmtpSession session, string arguments, CancellationToken cancellationToken)
    {
        if (!TryParse(arguments, out var size, out var last))
        {
            // Without a size the chunk cannot be skipped; what follows will fail as commands.
            session.Error(SmtpReplies.SyntaxError);
            return;
        }

        var options = session.Options;
        if (session.Bdat is null)
        {
            var message = session.BuildMessage(session.Services.Committer.NewMessageId());
            var transfer = new BdatTransfer(message, session.Transaction!.MaxMessageSize, options.MaxReceivedHeaders);
            transfer.Start(stream => session.Services.Committer.CommitAsync(message, stream, cancellationToken), session.BuildReceivedHeader(message));
            session.Bdat = transfer;
            session.State = SmtpState.Bdat;
        }

        var bdat = session.Bdat;
        if (!await bdat.CopyChunkAsync(session.Transport.Input, size, cancellationToken).ConfigureAwait(false))
        {
            session.Closing = true;
            return;
        }

        if (bdat.Failed)
        {
            var error = await bdat.WaitForFailureAsync().ConfigureAwait(false);
            session.FinishTransaction(bdat.Message, SmtpSession.ReplyFor(bdat.Problem), null, bdat.Size, bdat.StartTimestamp, error);
            return;
        }

        if (!last)
        {
            session.Reply(SmtpReplies.BdatChunkOk(size));
            return;
        }

        try
        {
            var queueId = await bdat.FinishAsync().ConfigureAwait(false);
            session.FinishTransaction(bdat.Message, SmtpReplies.Queued(queueId), queueId, bdat.Size, bdat.StartTimestamp, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            session.FinishTransaction(bdat.Message, SmtpSession.ReplyFor(bdat.Problem), null, bdat.Size, bdat.StartTimestamp, e);
        }
    }

    /// <summary>Reads and drops the chunk of a BDAT refused as out of sequence, so the session stays in step.</summary>
    public static async Task SkipChunkAsync(SmtpSession session, string arguments)
    {
        if (!TryParse(arguments, out var size, out _))
        {
            return;
        }

        var input = session.Transport.Input;
        while (size > 0)
        {
            var result = await input.ReadAsync(session.SessionToken).ConfigureAwait(false);
            var take = Math.Min(size, result.Buffer.Length);
            input.AdvanceTo(result.Buffer.GetPosition(take));
            size -= take;
            if (size > 0 && result.IsCompleted)
            {
                session.Closing = true;
                return;
            }
        }
    }

    /// <summary><c>chunk-size = 1*DIGIT</c>, <c>end-marker = "LAST"</c>.</summary>
    internal static bool TryParse(string arguments, out long size, out bool last)
    {
        size = 0;
        var parts = arguments.Split(' ');
        last = parts.Length == 2 && parts[1].Equals("LAST", StringComparison.OrdinalIgnoreCase);
        if (parts.Length > 2 || (parts.Length == 2 && !last))
        {
            return false;
        }

        return parts[0].Length is > 0 and <= 18
            && parts[0].All(char.IsAsciiDigit)
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }
}
