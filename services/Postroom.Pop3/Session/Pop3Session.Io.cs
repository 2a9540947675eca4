using System.Buffers;
using System.Text;
using Postroom.Pop3.Protocol;
using Postroom.Protocols;

namespace Postroom.Pop3.Session;

/// <summary>Reading command lines and writing responses, with the timeouts and pipelining rules.</summary>
public sealed partial class Pop3Session
{
    private static readonly byte[] Terminator = ".\r\n"u8.ToArray();

    /// <summary>
    /// Reads the next command line. Responses are flushed only when no more input is buffered, which is how
    /// RFC 2449 §6.6 PIPELINING wants it: a batch of pipelined commands gets one write of responses.
    /// Returns null when the session must end (the response saying why has been written).
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
                    // RFC 1939 §3: the autologout timer ends the session without entering UPDATE.
                    (var reason, EndReason) = shutdown.IsCancellationRequested ? (Pop3Replies.ShuttingDown, "shutdown")
                        : SessionToken.IsCancellationRequested ? (Pop3Replies.SessionTimeout, "timeout")
                        : (Pop3Replies.IdleTimeout, "timeout");
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

    /// <summary>Queues a response; it goes out with the next flush.</summary>
    internal void Reply(Pop3Reply reply)
    {
        WriteAscii(reply.ToWire());
        if (reply.ClosesConnection)
        {
            Closing = true;
        }
    }

    internal async Task ReplyAndFlushAsync(Pop3Reply reply)
    {
        Reply(reply);
        await Transport.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Queues one line of a multi-line response. The caller's text never starts with "." (no stuffing needed).</summary>
    internal void WriteLine(string text) => WriteAscii(text + "\r\n");

    /// <summary>Ends a multi-line response (RFC 1939 §3: a line holding only ".").</summary>
    internal void WriteTerminator() => Transport.Output.Write(Terminator);

    /// <summary>
    /// Drops any input already buffered. Used after STLS: bytes that arrived before the handshake were sent in
    /// plaintext and must never be executed inside TLS (RFC 2595 §4, CVE-2011-0411 and its POP3 siblings).
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

    private void WriteAscii(string text)
    {
        var output = Transport.Output;
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
