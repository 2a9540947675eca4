using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Postroom.Imap.Protocol;
using Postroom.Imap.Session;

namespace Postroom.Imap.Commands;

/// <summary>
/// IDLE (RFC 2177): reports changes of the selected mailbox as they arrive from any replica (the store's
/// pub/sub notifications) until the client sends DONE, the idle timeout passes, or the server shuts down.
/// </summary>
internal sealed class IdleCommand : IImapCommand
{
    public async Task<ImapResult?> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        if (!Arguments.IsEmpty(request))
        {
            return ImapResponses.SyntaxError;
        }

        session.WriteLine("+ idling");
        await session.ReportUpdatesAsync(allowExpunge: true, cancellationToken).ConfigureAwait(false);
        await session.FlushAsync(cancellationToken).ConfigureAwait(false);

        var input = session.Transport.Input;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Shutdown);
        wait.CancelAfter(session.Options.IdleTimeout);
        try
        {
            return await WaitAsync(session, input, wait.Token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Ends a wait for changes still pending, so nothing outlives the command.
            await wait.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task<ImapResult?> WaitAsync(ImapSession session, PipeReader input, CancellationToken waitToken, CancellationToken cancellationToken)
    {
        Task<ReadResult>? read = null;
        Task<bool>? changed = null;
        while (true)
        {
            read ??= input.ReadAsync(waitToken).AsTask();
            changed ??= session.Selected is { } box ? box.Changes.WaitToReadAsync(waitToken).AsTask() : new TaskCompletionSource<bool>().Task;
            await Task.WhenAny(read, changed).ConfigureAwait(false);
            if (!read.IsCompleted)
            {
                if (changed.IsCompletedSuccessfully)
                {
                    changed = null;
                    await session.ReportUpdatesAsync(allowExpunge: true, cancellationToken).ConfigureAwait(false);
                    await session.FlushAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // Cancelled: the read ends the same way.
                await Task.WhenAny(read).ConfigureAwait(false);
            }

            ReadResult result;
            try
            {
                result = await read.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await session.ByeAsync(session.Shutdown.IsCancellationRequested ? ImapResponses.ShuttingDown : ImapResponses.IdleTimeout).ConfigureAwait(false);
                return null;
            }

            read = null;
            var buffer = result.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } end)
            {
                var line = Encoding.ASCII.GetString(buffer.Slice(0, end)).TrimEnd('\r');
                input.AdvanceTo(buffer.GetPosition(1, end));
                return line.Equals("DONE", StringComparison.OrdinalIgnoreCase) ? ImapResponses.Completed.WithText("IDLE terminated") : ImapResponses.ExpectedDone;
            }

            if (result.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                throw new EndOfStreamException("The client closed the connection during IDLE.");
            }

            if (buffer.Length > session.Options.MaxLineLength)
            {
                input.AdvanceTo(buffer.End);
                return ImapResponses.ExpectedDone;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
