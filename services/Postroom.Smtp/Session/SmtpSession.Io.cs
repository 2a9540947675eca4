using System.Text;
using Postroom.Protocols;
using Postroom.Smtp.Protocol;

namespace Postroom.Smtp.Session;

/// <summary>Reading command lines and writing replies, with the timeouts and pipelining rules.</summary>
public sealed partial class SmtpSession
{
    /// <summary>
    /// Reads the next command line. Replies are flushed only when no more input is buffered, which is how
    /// RFC 2920 pipelining wants it: a whole batch of pipelined commands gets one write of replies.
    /// Returns null when the session must end (the reply saying why has been written).
    /// </summary>
    internal async Task<LineResult?> ReadLineAsync(int maxLength, CancellationToken shutdown)
    {
        var input = Transport.Input;
        while (true)
        {
            if (!input.TryRead(out var result))
            {
                await Transport.Output.FlushAsync(SessionToken).ConfigureAwait(false);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(SessionToken, shutdown);
                wait.CancelAfter(Options.IdleTimeout);
                try
                {
                    result = await input.ReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!_aborted.IsCancellationRequested)
                {
                    var reason = shutdown.IsCancellationRequested ? SmtpReplies.ShuttingDown
                        : SessionToken.IsCancellationRequested ? SmtpReplies.SessionTimeout
                        : SmtpReplies.IdleTimeout;
                    await ReplyAndFlushAsync(reason).ConfigureAwait(false);
                    return null;
                }
            }

            var consumed = result.Buffer.Start;
            LineResult? line = null;
            try
            {
                line = _lineReader.TryRead(result.Buffer, maxLength, out consumed);
                if (line is not null)
                {
                    return line;
                }

                if (result.IsCompleted)
                {
                    return null;
                }
            }
            finally
            {
                // Only a search that found no line has examined everything; after a line, more lines may wait.
                input.AdvanceTo(consumed, line is null ? result.Buffer.End : consumed);
            }
        }
    }

    /// <summary>Queues a reply; it goes out with the next flush.</summary>
    internal void Reply(SmtpReply reply)
    {
        var text = reply.ToWire();
        var output = Transport.Output;
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
        if (reply.ClosesConnection)
        {
            Closing = true;
        }
    }

    internal async Task ReplyAndFlushAsync(SmtpReply reply)
    {
        Reply(reply);
        await Transport.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Drops any input already buffered. Used after STARTTLS: bytes that arrived before the handshake were
    /// sent in plaintext and must never be executed inside TLS (CVE-2011-0411).
    /// </summary>
    internal long DiscardBufferedInput()
    {
        if (!Transport.Input.TryRead(out var result))
        {
            return 0;
        }

        var length = result.Buffer.Length;
        Transport.Input.AdvanceTo(result.Buffer.End);
        return length;
    }
}
