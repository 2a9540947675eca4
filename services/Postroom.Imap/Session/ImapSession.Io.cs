using System.Buffers;
using System.Text;
using Postroom.Imap.Protocol;

namespace Postroom.Imap.Session;

/// <summary>Reading commands and writing responses, with the timeouts and pipelining rules.</summary>
public sealed partial class ImapSession
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    internal IdleTimeoutKind TimeoutKind => State == ImapState.NotAuthenticated ? IdleTimeoutKind.PreAuth : IdleTimeoutKind.Idle;

    internal TimeSpan CurrentTimeout => TimeoutKind == IdleTimeoutKind.PreAuth ? Options.PreAuthTimeout : Options.IdleTimeout;

    /// <summary>
    /// Reads until the assembler has a result. Responses are flushed only when no more input is buffered, so a
    /// batch of pipelined commands gets one write. Sends "+ Ready" for synchronizing literals. Returns null when
    /// the session must end (the BYE saying why has been written).
    /// </summary>
    internal async Task<AssembleResult?> ReadCommandAsync()
    {
        while (true)
        {
            var read = await ReadInputAsync().ConfigureAwait(false);
            if (read is null)
            {
                return null;
            }

            var result = read.Value;
            var consumed = result.Buffer.Start;
            AssembleResult step = AssembleResult.More;
            try
            {
                step = _assembler.Step(result.Buffer, out consumed);
            }
            finally
            {
                // Only a step that needs more has examined everything; after a result, more commands may wait.
                Transport.Input.AdvanceTo(consumed, step.Status == AssembleStatus.NeedMore ? result.Buffer.End : consumed);
            }

            switch (step.Status)
            {
                case AssembleStatus.NeedMore:
                    if (result.IsCompleted)
                    {
                        return null;
                    }

                    continue;
                case AssembleStatus.NeedContinuation:
                    WriteLine("+ Ready for literal data");
                    continue;
                default:
                    return step;
            }
        }
    }

    /// <summary>Reads buffered input, or waits for more with the idle timeout; null (after BYE) on timeout or shutdown.</summary>
    internal async Task<System.IO.Pipelines.ReadResult?> ReadInputAsync()
    {
        var input = Transport.Input;
        if (input.TryRead(out var result))
        {
            return result;
        }

        await Transport.Output.FlushAsync(SessionToken).ConfigureAwait(false);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(SessionToken, Shutdown);
        wait.CancelAfter(CurrentTimeout);
        try
        {
            return await input.ReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_aborted.IsCancellationRequested)
        {
            await ByeAsync(Shutdown.IsCancellationRequested ? ImapResponses.ShuttingDown : ImapResponses.IdleTimeout).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Says BYE and ends the session.</summary>
    internal async Task ByeAsync(ImapResult bye)
    {
        Respond("*", bye);
        Closing = true;
        await Transport.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Queues one response line (CRLF added); it goes out with the next flush.</summary>
    internal void WriteLine(string line)
    {
        ImapWriter.Utf8(Transport.Output, line);
        Transport.Output.Write(Crlf);
    }

    internal void Untagged(string text) => WriteLine("* " + text);

    internal void Respond(string tag, ImapResult result) => WriteLine(result.ToLine(tag));

    internal void EndLine() => Transport.Output.Write(Crlf);

    /// <summary>Flushes when enough output is buffered: long responses stream instead of piling up in memory.</summary>
    internal async ValueTask FlushIfFullAsync(CancellationToken cancellationToken)
    {
        var output = Transport.Output;
        if (!output.CanGetUnflushedBytes || output.UnflushedBytes >= Options.FlushThreshold)
        {
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task FlushAsync(CancellationToken cancellationToken) =>
        await Transport.Output.FlushAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Reads exactly <paramref name="length"/> octets of a literal from the input (APPEND's message).</summary>
    internal Stream OpenLiteral(long length) => new LiteralStream(this, length);

    /// <summary>
    /// Drops any input already buffered. Used after STARTTLS: bytes that arrived before the handshake were sent in
    /// plaintext and must never be executed inside TLS (RFC 3501 §6.2.1, CVE-2011-0411).
    /// </summary>
    internal long DiscardBufferedInput()
    {
        _assembler.Reset();
        if (!Transport.Input.TryRead(out var result))
        {
            return 0;
        }

        var length = result.Buffer.Length;
        Transport.Input.AdvanceTo(result.Buffer.End);
        return length;
    }

    internal static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>A literal read straight from the connection, so a message is never held whole in memory.</summary>
    private sealed class LiteralStream(ImapSession session, long length) : Stream
    {
        private long _remaining = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_remaining == 0 || buffer.IsEmpty)
            {
                return 0;
            }

            var input = session.Transport.Input;
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var available = result.Buffer.Slice(0, Math.Min(Math.Min(result.Buffer.Length, _remaining), buffer.Length));
            BuffersExtensions.CopyTo(available, buffer.Span);
            input.AdvanceTo(available.End);
            _remaining -= available.Length;
            if (available.Length == 0 && result.IsCompleted)
            {
                throw new EndOfStreamException("The client closed the connection inside a literal.");
            }

            return (int)available.Length;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        /// <summary>Reads what is left, so that the session stays in step when the literal was not wanted whole.</summary>
        public async Task DrainAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[8192];
            while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
    }

    /// <summary>Reads and drops what is left of a literal opened with <see cref="OpenLiteral"/>.</summary>
    internal static Task DrainLiteralAsync(Stream literal, CancellationToken cancellationToken) =>
        ((LiteralStream)literal).DrainAsync(cancellationToken);
}

/// <summary>Which timeout applies while waiting for a command.</summary>
internal enum IdleTimeoutKind
{
    PreAuth,
    Idle,
}
